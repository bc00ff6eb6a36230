@contract @REQ-CONTRACT-CAS-METADATA
Feature: Updates conditional on metadata: a claim token, a pause id
  With expected_metadata, an update applies only if, for each of its keys, the stored metadata has that
  key with an equal JSON value, atomically with the write; a key the stored metadata lacks equals nothing,
  not even null. Otherwise STATUS_CONFLICT, whose `field` names what differed (`status`, or
  `metadata.<key>` for the first key that differed), and nothing changes. Checks run in this order: input,
  existence, expected_status, expected_metadata, the transition.

  @WF-CAS-3
  Scenario: A pause is resumed when its pause id is the expected one
    Given a workflow run "r1" with status "paused" and metadata:
      """
      { "pause_id": "p7", "step": 3 }
      """
    When run "r1" is updated to status "running" and metadata { "pause_id": null } expecting metadata { "pause_id": "p7" }
    Then the call succeeds
    And the run "r1" is stored with status "running"
    And the run "r1" has metadata:
      """
      { "pause_id": null, "step": 3 }
      """

  @WF-CAS-3 @WF-VAL-11
  Scenario: A resume for another pause is refused with STATUS_CONFLICT on metadata.pause_id, and nothing changes
    Given a workflow run "r1" with status "paused" and metadata:
      """
      { "pause_id": "p8" }
      """
    When run "r1" is updated to status "running" and metadata { "pause_id": null } expecting metadata { "pause_id": "p7" }
    Then the call fails with STATUS_CONFLICT on "metadata.pause_id"
    And the run "r1" is unchanged

  @WF-CAS-3 @WF-UPD-5 @WF-VAL-11
  Scenario: An update refused on its expected metadata appends none of its events and records no output
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t2" }
      """
    When updateWorkflowRun is called with the arguments:
      """
      ["r1", { "status": "completed", "metadata": { "claim": null } }, { "expected_metadata": { "claim": "t1" }, "events": [{ "event_type": "node_completed", "payload": { "node_id": "last", "output": 1 } }, { "event_type": "workflow_completed" }] }]
      """
    Then the call fails with STATUS_CONFLICT on "metadata.claim"
    And the run "r1" is unchanged
    And run "r1" has no events
    And the completed node outputs of run "r1" are:
      """
      {}
      """

  @WF-CAS-3
  Scenario Outline: Expecting <expected> where <stored> is stored: the update <verdict>
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "k": <stored>, "other": 1 }
      """
    When run "r1" is updated with metadata { "done": true } expecting metadata { "k": <expected> }
    Then the update <verdict>

    Examples: equal JSON values
      | stored                           | expected                             | verdict                                 |
      | "t1"                             | "t1"                                 | applies                                 |
      | 1                                | 1.0                                  | applies                                 |
      | 100                              | 1e2                                  | applies                                 |
      | null                             | null                                 | applies                                 |
      | false                            | false                                | applies                                 |
      | { "a": 1, "b": [1, { "c": 2 }] } | { "b": [1, { "c": 2 }], "a": 1 }     | applies                                 |
      | { "x": { "p": 1, "q": 2 } }      | { "x": { "q": 2, "p": 1 } }          | applies                                 |
      | []                               | []                                   | applies                                 |
      | {}                               | {}                                   | applies                                 |
      | "é🎉"                            | "é🎉"                                | applies                                 |
      | 0                                | -0                                   | applies                                 |
      | 1e21                             | 1e21                                 | applies                                 |
      | 1.5e-7                           | 1.5e-7                               | applies                                 |
      | 0.1                              | 1e-1                                 | applies                                 |

    Examples: different JSON values
      | stored                           | expected                             | verdict                                 |
      | "t1"                             | "t2"                                 | is refused with STATUS_CONFLICT on "metadata.k" |
      | 1                                | "1"                                  | is refused with STATUS_CONFLICT on "metadata.k" |
      | true                             | 1                                    | is refused with STATUS_CONFLICT on "metadata.k" |
      | true                             | "true"                               | is refused with STATUS_CONFLICT on "metadata.k" |
      | null                             | false                                | is refused with STATUS_CONFLICT on "metadata.k" |
      | null                             | "null"                               | is refused with STATUS_CONFLICT on "metadata.k" |
      | 0                                | false                                | is refused with STATUS_CONFLICT on "metadata.k" |
      | ""                               | null                                 | is refused with STATUS_CONFLICT on "metadata.k" |
      | [1, 2]                           | [2, 1]                               | is refused with STATUS_CONFLICT on "metadata.k" |
      | [1, 2]                           | [1, 2, 2]                            | is refused with STATUS_CONFLICT on "metadata.k" |
      | [1]                              | 1                                    | is refused with STATUS_CONFLICT on "metadata.k" |
      | []                               | {}                                   | is refused with STATUS_CONFLICT on "metadata.k" |
      | { "a": 1 }                       | { "a": 1, "b": null }                | is refused with STATUS_CONFLICT on "metadata.k" |
      | { "a": 1, "b": null }            | { "a": 1 }                           | is refused with STATUS_CONFLICT on "metadata.k" |
      | { "a": [1, 2] }                  | { "a": [2, 1] }                      | is refused with STATUS_CONFLICT on "metadata.k" |
      | { "a": "1" }                     | { "a": 1 }                           | is refused with STATUS_CONFLICT on "metadata.k" |
      | "T1"                             | "t1"                                 | is refused with STATUS_CONFLICT on "metadata.k" |
      | "t1"                             | "t1 "                                | is refused with STATUS_CONFLICT on "metadata.k" |

  @WF-CAS-3
  Scenario: A key the stored metadata lacks equals nothing, not even null
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1" }
      """
    When run "r1" is updated with metadata { "done": true } expecting metadata { "lease": null }
    Then the update is refused with STATUS_CONFLICT on "metadata.lease"
    When run "r1" is updated with metadata { "done": true } expecting metadata { "lease": {} }
    Then the update is refused with STATUS_CONFLICT on "metadata.lease"
    When run "r1" is updated with metadata { "lease": null } expecting metadata { "claim": "t1" }
    Then the call succeeds
    When run "r1" is updated with metadata { "done": true } expecting metadata { "lease": null }
    Then the update applies

  @WF-CAS-3
  Scenario Outline: A key named <key>, which the stored metadata lacks, equals nothing
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1" }
      """
    When run "r1" is updated with metadata { "done": true } expecting metadata { <key>: <value> }
    Then the update is refused with STATUS_CONFLICT on "metadata.<name>"

    Examples:
      | key           | value | name        |
      | "__proto__"   | {}    | __proto__   |
      | "constructor" | {}    | constructor |
      | "toString"    | null  | toString    |
      | ""            | null  |             |

  @WF-CAS-3
  Scenario: A key named "__proto__" is compared as the run's own key
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "__proto__": { "lease": 1 } }
      """
    When run "r1" is updated with metadata { "done": true } expecting metadata { "__proto__": { "lease": 2 } }
    Then the update is refused with STATUS_CONFLICT on "metadata.__proto__"
    When run "r1" is updated with metadata { "done": true } expecting metadata { "__proto__": { "lease": 1 } }
    Then the update applies

  @WF-CAS-3
  Scenario: Every expected key must match; the conflict names the first that differs, in the order given
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "a": 1, "b": 2, "c": 3 }
      """
    When run "r1" is updated with metadata { "done": true } expecting metadata { "a": 1, "b": 9, "c": 9 }
    Then the update is refused with STATUS_CONFLICT on "metadata.b"
    When run "r1" is updated with metadata { "done": true } expecting metadata { "c": 9, "b": 9, "a": 1 }
    Then the update is refused with STATUS_CONFLICT on "metadata.c"
    When run "r1" is updated with metadata { "done": true } expecting metadata { "a": 1, "b": 2, "zz": 1 }
    Then the update is refused with STATUS_CONFLICT on "metadata.zz"
    When run "r1" is updated with metadata { "done": true } expecting metadata { "c": 3, "a": 1, "b": 2 }
    Then the update applies

  @WF-CAS-3
  Scenario: Keys of the stored metadata that are not expected do not matter, and no expected key is no condition
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1", "attempt": 4, "log": [1, 2, 3] }
      """
    When run "r1" is updated with metadata { "done": true } expecting metadata { "claim": "t1" }
    Then the update applies
    When run "r1" is updated with metadata { "again": true } expecting metadata {}
    Then the update applies

  @WF-CAS-3 @WF-CAS-1
  Scenario: A conflict on the expected status has the field "status"
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "paused" expecting status "pending"
    Then the call fails with STATUS_CONFLICT on "status"
    And the run "r1" is unchanged

  @WF-CAS-3 @WF-CAS-2
  Scenario: The expected status is checked before the expected metadata
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t2" }
      """
    When run "r1" is updated to status "paused" expecting status "failed" and metadata { "claim": "t1" }
    Then the call fails with STATUS_CONFLICT on "status"
    When run "r1" is updated to status "paused" expecting status "running" and metadata { "claim": "t1" }
    Then the call fails with STATUS_CONFLICT on "metadata.claim"
    When run "r1" is updated to status "paused" expecting status "running" and metadata { "claim": "t2" }
    Then the call succeeds
    And the run "r1" is stored with status "paused"

  @WF-CAS-3 @WF-CAS-2 @WF-TRN-2
  Scenario: The expected metadata is checked before the transition
    Given a workflow run "r1" with status "completed" and metadata:
      """
      { "claim": "t2" }
      """
    When run "r1" is updated to status "running" and metadata { "claim": "t3" } expecting metadata { "claim": "t1" }
    Then the call fails with STATUS_CONFLICT on "metadata.claim"
    When run "r1" is updated to status "running" and metadata { "claim": "t3" } expecting metadata { "claim": "t2" }
    Then the call fails with INVALID_TRANSITION from "completed" to "running"
    And the run "r1" is unchanged

  @WF-CAS-3 @WF-CAS-2
  Scenario: An unknown run is reported before the expected metadata
    When run "ghost" is updated with metadata { "done": true } expecting metadata { "claim": "t1" }
    Then the call fails with RUN_NOT_FOUND naming "ghost"
    And no run exists

  @WF-CAS-3 @WF-CAS-2 @WF-VAL-11
  Scenario Outline: An expected_metadata that is <what> is INVALID_INPUT, whatever the store holds
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t2" }
      """
    When updateWorkflowRun is called with the arguments:
      """
      ["<id>", { "status": "completed" }, { "expected_status": "failed", "expected_metadata": <value> }]
      """
    Then the call fails with INVALID_INPUT naming "<field>"
    And the run "r1" is unchanged
    And no run but "r1" exists

    Examples:
      | what                   | id    | value          | field                         |
      | null                   | r1    | null           | options.expected_metadata     |
      | an array               | r1    | ["claim"]      | options.expected_metadata     |
      | a string               | r1    | "t1"           | options.expected_metadata     |
      | null, on unknown run   | ghost | null           | options.expected_metadata     |
      | an array, unknown run  | ghost | [1]            | options.expected_metadata     |

  @WF-CAS-3 @WF-VAL-1 @WF-VAL-11
  Scenario Outline: An expected_metadata holding <value> is refused with the path named
    Given a workflow run "r1" with status "running"
    When run "r1" is updated expecting metadata holding <value> at "claim"
    Then the call fails with INVALID_INPUT naming "options.expected_metadata.claim"
    And the run "r1" is unchanged

    Examples:
      | value     |
      | a Date    |
      | NaN       |
      | undefined |
      | a BigInt  |

  @WF-CAS-3 @WF-VAL-2 @WF-VAL-11
  Scenario Outline: An expected_metadata holding <value> is refused, and nothing of it is run
    Given a workflow run "r1" with status "running"
    When run "r1" is updated expecting metadata holding <value> at "claim"
    Then the call fails with INVALID_INPUT naming "options.expected_metadata.claim"
    And no getter or Proxy trap of the input was run
    And the run "r1" is unchanged

    Examples:
      | value         |
      | a getter      |
      | a Proxy       |
      | a Proxy array |

  @WF-CAS-3
  Scenario: Only one of eight resumes of one pause wins, each changing the pause id
    Given a workflow run "r1" with status "paused" and metadata:
      """
      { "pause_id": "p7" }
      """
    When 8 callers at once update run "r1" to status "running", each setting its own pause id, expecting metadata { "pause_id": "p7" }
    Then exactly 1 of the 8 calls succeeds and the others fail with STATUS_CONFLICT
    And the run "r1" holds the pause id of the call that won
