@contract @REQ-CONTRACT-PAGING
Feature: Runs listed newest first and paged by keyset
  listWorkflowRuns takes `order` ('asc', the default, or 'desc': newest first, by created_at then id, both
  descending), `after` ({ created_at, id }: only the runs strictly after that position in the chosen order,
  whether or not a run is there), `created_after` and `created_before` (strict bounds). Filters, order,
  position, then the limit. Passing the last run of a page as the next page's `after` sees every run present
  during the whole paging exactly once, whatever is created or deleted between pages.

  @WF-RUN-7
  Scenario: order "desc" lists the newest run first, "asc" and no order the oldest
    Given a workflow run "m"
    And the clock moves on 5 ms
    And a workflow run "Z"
    And a workflow run "b"
    And the clock moves on 5 ms
    And a workflow run "a"
    When the runs are listed newest first
    Then the listed run ids are "a, b, Z, m"
    When the runs are listed oldest first
    Then the listed run ids are "m, Z, b, a"
    When the runs are listed
    Then the listed run ids are "m, Z, b, a"

  @WF-RUN-7 @clock
  Scenario: Newest first, runs created at the same instant come in descending id order, in code units
    Given a workflow run "a"
    And a workflow run "B"
    And a workflow run "c"
    And a workflow run "b"
    And the clock moves on 1 ms
    And a workflow run "A"
    And the clock moves back 2 ms
    And a workflow run "z"
    When the runs are listed newest first
    Then the listed run ids are "A, c, b, a, B, z"

  @WF-RUN-7
  Scenario: Newest first is the order of created_at, then id, reversed, also for runs created as fast as the store allows
    Given the runs "z, B, a, Y, m, A, b, c, Z, y, M, n, 1, x_1" are created one after another, as fast as the store allows
    When the runs are listed newest first
    Then the listed runs are in descending order of created_at, then id
    And the listed runs are those listed oldest first, reversed

  @WF-RUN-7
  Scenario: The limit is applied after ordering, newest first: the newest runs come first
    Given the runs "r1, r2, r3, r4, r5", created 5 ms apart
    When the runs are listed newest first with limit 2
    Then the listed run ids are "r5, r4"

  @WF-RUN-7
  Scenario: after gives the runs strictly after that position, in either order
    Given the runs "a, b, c, d, e", created 5 ms apart
    When the runs are listed with the options:
      | after | the position of run "b" |
    Then the listed run ids are "c, d, e"
    When the runs are listed with the options:
      | order | "desc"                  |
      | after | the position of run "d" |
    Then the listed run ids are "c, b, a"
    When the runs are listed with the options:
      | order | "desc"                  |
      | after | the position of run "a" |
    Then the listed run ids are ""
    When the runs are listed with the options:
      | order | "asc"                   |
      | after | the position of run "e" |
    Then the listed run ids are ""

  @WF-RUN-7
  Scenario: after is a position, not a run: it may be where no run is, and the run that was there may be gone
    Given the runs "a, b, c, d, e", created 5 ms apart
    When the runs are listed with the options:
      | after | the created_at of run "c" and the id "c0" |
    Then the listed run ids are "d, e"
    When the runs are listed with the options:
      | order | "desc"                                    |
      | after | the created_at of run "c" and the id "c0" |
    Then the listed run ids are "c, b, a"
    When the runs are listed with the options:
      | after | the created_at of run "c" and the id "C" |
    Then the listed run ids are "c, d, e"
    When the run "c" is deleted
    And the runs are listed with the options:
      | after | the position of run "c" |
    Then the listed run ids are "d, e"
    When the runs are listed with the options:
      | order | "desc"                  |
      | after | the position of run "c" |
    Then the listed run ids are "b, a"

  @WF-RUN-7 @clock
  Scenario: after compares the id too, among runs created at the same instant
    Given the runs "a, b, c, d, e, f, g" are created at the same instant
    When the runs are listed with the options:
      | after | the position of run "c" |
      | limit | 2                       |
    Then the listed run ids are "d, e"
    When the runs are listed with the options:
      | order | "desc"                  |
      | after | the position of run "c" |
    Then the listed run ids are "b, a"

  @WF-RUN-7
  Scenario: created_after and created_before are strict bounds
    Given the runs "a, b, c, d, e", created 5 ms apart
    When the runs are listed with the options:
      | created_after | the created_at of run "b" |
    Then the listed run ids are "c, d, e"
    When the runs are listed with the options:
      | created_before | the created_at of run "d" |
    Then the listed run ids are "a, b, c"
    When the runs are listed with the options:
      | created_after  | the created_at of run "b" |
      | created_before | the created_at of run "d" |
      | order          | "desc"                    |
    Then the listed run ids are "c"
    When the runs are listed with the options:
      | created_after  | the created_at of run "c" |
      | created_before | the created_at of run "c" |
    Then the listed run ids are ""
    When the runs are listed with the options:
      | created_after  | the created_at of run "d" |
      | created_before | the created_at of run "b" |
    Then the listed run ids are ""

  @WF-RUN-7 @clock
  Scenario: created_after and created_before leave out every run created at the bound, whatever its id
    Given the clock moves on 10 ms
    And the runs "a, b, c" are created at the same instant
    And the clock moves on 10 ms
    And the runs "d, e" are created at the same instant
    When the runs are listed with the options:
      | created_after | the created_at of run "b" |
    Then the listed run ids are "d, e"
    When the runs are listed with the options:
      | created_before | the created_at of run "e" |
      | order          | "desc"                    |
    Then the listed run ids are "c, b, a"

  @WF-RUN-7 @WF-RUN-4
  Scenario: Filters, then order, then the position, then the limit
    Given the runs "a, b, c, d, e, f, g", created 5 ms apart, "b, c, e, g" running and of workflow "x"
    When the runs are listed with the options:
      | status | "running"               |
      | order  | "desc"                  |
      | after  | the position of run "f" |
      | limit  | 2                       |
    Then the listed run ids are "e, c"
    When the runs are listed with the options:
      | workflow_name | "x"                       |
      | status        | "running"                 |
      | after         | the position of run "b"   |
      | created_before | the created_at of run "g" |
      | limit         | 5                         |
    Then the listed run ids are "c, e"
    When the runs are listed with the options:
      | status | "running"               |
      | after  | the position of run "a" |
      | limit  | 0                       |
    Then the listed run ids are ""

  @WF-RUN-7
  Scenario Outline: Paging <order>, <size> at a time, each page after the last run of the one before, lists every run once, in order
    Given the runs "a, b, c, d, e, f, g", created 5 ms apart
    When every run is listed in pages of <size>, <order>, each page after the last run of the page before
    Then the pages list the run ids "<ids>"

    Examples:
      | order        | size | ids                 |
      | oldest first | 2    | a, b, c, d, e, f, g |
      | newest first | 2    | g, f, e, d, c, b, a |
      | newest first | 3    | g, f, e, d, c, b, a |
      | newest first | 7    | g, f, e, d, c, b, a |
      | oldest first | 1    | a, b, c, d, e, f, g |

  @WF-RUN-7 @clock
  Scenario Outline: Paging <order> through runs created at the same instant lists every run once, in order
    Given the runs "g, a, e, c, B, b, f, d" are created at the same instant
    When every run is listed in pages of 3, <order>, each page after the last run of the page before
    Then the pages list the run ids "<ids>"

    Examples:
      | order        | ids                    |
      | oldest first | B, a, b, c, d, e, f, g |
      | newest first | g, f, e, d, c, b, a, B |

  @WF-RUN-7
  Scenario Outline: Paging <order> through runs created as fast as the store allows lists every run once, in order
    Given the runs "z, B, a, Y, m, A, b, c, Z, y, M, n, 1, x_1" are created one after another, as fast as the store allows
    When every run is listed in pages of 3, <order>, each page after the last run of the page before
    Then the pages hold every run once, in the order of the whole list <order>

    Examples:
      | order        |
      | oldest first |
      | newest first |

  @WF-RUN-7
  Scenario Outline: Paging <order> while runs are created and deleted between pages sees every run present throughout exactly once
    Given the runs "p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12", created 2 ms apart
    When every run is listed in pages of 3, <order>, each page after the last run of the page before, while between pages a run is created, a run not yet listed is deleted, and so is the last run listed
    Then every run present throughout the paging was listed exactly once
    And no run was listed twice, and every page was in order

    Examples:
      | order        |
      | oldest first |
      | newest first |

  @WF-RUN-7 @clock
  Scenario Outline: Paging <order> while runs are created at the same instant between pages sees every run present throughout once
    Given the runs "p01, p02, p03, p04, p05, p06, p07, p08, p09" are created at the same instant
    When every run is listed in pages of 2, <order>, each page after the last run of the page before, while between pages a run is created, a run not yet listed is deleted, and so is the last run listed
    Then every run present throughout the paging was listed exactly once
    And no run was listed twice, and every page was in order

    Examples:
      | order        |
      | oldest first |
      | newest first |

  @WF-RUN-7 @WF-VAL-13 @WF-ERR-4
  Scenario Outline: listWorkflowRuns with <what> is INVALID_INPUT
    Given a workflow run "r1"
    When listWorkflowRuns is called with the arguments:
      """
      [<options>]
      """
    Then the call fails with INVALID_INPUT naming "<field>"

    Examples: order
      | what                | options               | field         |
      | the order "newest"  | { "order": "newest" } | options.order |
      | the order "DESC"    | { "order": "DESC" }   | options.order |
      | null as the order   | { "order": null }     | options.order |
      | the order -1        | { "order": -1 }       | options.order |

    Examples: after
      | what                                 | options                                                                         | field                    |
      | a string as after                    | { "after": "r1" }                                                               | options.after            |
      | null as after                        | { "after": null }                                                               | options.after            |
      | an array as after                    | { "after": ["2026-01-01T00:00:00.000Z", "r1"] }                                 | options.after            |
      | after without its id                 | { "after": { "created_at": "2026-01-01T00:00:00.000Z" } }                       | options.after.id         |
      | after without its created_at         | { "after": { "id": "r1" } }                                                     | options.after.created_at |
      | after with another field             | { "after": { "created_at": "2026-01-01T00:00:00.000Z", "id": "r1", "limit": 1 } } | options.after.limit      |
      | after with a null id                 | { "after": { "created_at": "2026-01-01T00:00:00.000Z", "id": null } }           | options.after.id         |
      | after with an id that is no id       | { "after": { "created_at": "2026-01-01T00:00:00.000Z", "id": "../x" } }         | options.after.id         |
      | after with a time without ms         | { "after": { "created_at": "2026-01-01T00:00:00Z", "id": "r1" } }               | options.after.created_at |
      | after with a time with an offset     | { "after": { "created_at": "2026-01-01T00:00:00.000+00:00", "id": "r1" } }      | options.after.created_at |
      | after with a number as its time      | { "after": { "created_at": 1767225600000, "id": "r1" } }                        | options.after.created_at |

    Examples: bounds
      | what                                  | options                                                | field                  |
      | created_after "yesterday"             | { "created_after": "yesterday" }                       | options.created_after  |
      | created_after as a number             | { "created_after": 1767225600000 }                     | options.created_after  |
      | created_after as a date alone         | { "created_after": "2026-01-01" }                      | options.created_after  |
      | null as created_after                 | { "created_after": null }                              | options.created_after  |
      | created_before in lower case          | { "created_before": "2026-01-01t00:00:00.000z" }       | options.created_before |
      | created_before on the 30th of February | { "created_before": "2026-02-30T00:00:00.000Z" }      | options.created_before |
      | created_before in year 10000          | { "created_before": "+010000-01-01T00:00:00.000Z" }    | options.created_before |
      | created_before in year 0              | { "created_before": "0000-12-31T23:59:59.999Z" }       | options.created_before |

  @WF-RUN-7 @WF-VAL-17
  Scenario Outline: listWorkflowRuns with after given as <kind> is refused, its fields not read
    Given a workflow run "r1"
    When listWorkflowRuns is called with the arguments, options.after given as <kind>:
      """
      [{ "after": { "created_at": "2000-01-01T00:00:00.000Z", "id": "a" } }]
      """
    Then the call fails with INVALID_INPUT

    Examples:
      | kind                            |
      | an object inheriting its fields |
      | an instance of a class          |
      | an array holding its fields     |

  @WF-RUN-7
  Scenario: The new options may be given as undefined, and each bound may be any timestamp
    Given a workflow run "r1"
    When the runs are listed with order, after, created_after and created_before given as undefined
    Then the listed run ids are "r1"
    When the runs are listed with the options:
      | created_after  | "0001-01-01T00:00:00.000Z" |
      | created_before | "9999-12-31T23:59:59.999Z" |
    Then the listed run ids are "r1"
    When the runs are listed with the options:
      | after | { "created_at": "0001-01-01T00:00:00.000Z", "id": "0" } |
    Then the listed run ids are "r1"
