@contract @REQ-CONTRACT-UPDATE-EVENTS
Feature: A status change and several events, committed together
  updateWorkflowRun(id, patch, { events }) commits a list of 1 to 1,000 events with the update: numbered
  in the list's order, each timestamped with the update's updated_at, each node_completed recording its
  output. A reader sees the update with all of them or none; a refused update appends none. An empty list,
  more than 1,000, or `event` and `events` together is INVALID_INPUT at options.events.

  @WF-UPD-5
  Scenario: The events are numbered in the list's order after the run's last event, each timestamped with the update
    Given a workflow run "r1" with status "running"
    And the event "node_started" is appended to run "r1"
    And the clock moves on 1000 ms
    When the status of run "r1" is updated to "cancelled" with the events:
      | event_type         | payload                  |
      | approval_rejected  | { "by": "ann" }          |
      | workflow_cancelled | { "reason": "rejected" } |
      | audit.note         |                          |
    Then the call succeeds
    And the run "r1" is stored with status "cancelled"
    And the run "r1" has updated_at equal to the store's time of that call
    And the event log of run "r1" is:
      | sequence | event_type         |
      | 1        | node_started       |
      | 2        | approval_rejected  |
      | 3        | workflow_cancelled |
      | 4        | audit.note         |
    And events 2 to 4 of run "r1" are timestamped with the run's updated_at
    And the payload of event 3 of run "r1" is:
      """
      { "reason": "rejected" }
      """
    And the payload of event 4 of run "r1" is:
      """
      {}
      """

  @WF-UPD-5 @WF-UPD-3
  Scenario: A metadata-only update of a final run commits its events too
    Given a workflow run "r1" with status "completed"
    When run "r1" is updated with metadata { "archived": true } and the events:
      | event_type | payload        |
      | archived   | { "n": 1 }     |
      | audit.note | { "n": 2 }     |
    Then the call succeeds
    And the events of run "r1" have sequences 1 to 2
    And events 1 to 2 of run "r1" are timestamped with the run's updated_at

  @WF-UPD-5 @WF-UPD-2 @clock
  Scenario: With the clock gone back, the events take the update's updated_at, not the clock's time
    Given a workflow run "r1" with status "running"
    And the clock moves back 5000 ms
    When the status of run "r1" is updated to "completed" with the events:
      | event_type         |
      | node_completed.log |
      | workflow_completed |
    Then the call succeeds
    And the run "r1" has created_at equal to updated_at
    And events 1 to 2 of run "r1" are timestamped with the run's updated_at

  @WF-UPD-5 @WF-OUT-1 @WF-OUT-3
  Scenario: Each node_completed of the list records its output; a node completed twice in the list keeps the later one
    Given a workflow run "r1" with status "running"
    And node "parse" of run "r1" completes with output:
      """
      "before"
      """
    When the status of run "r1" is updated to "completed" with the events:
      | event_type     | payload                                          |
      | node_completed | { "node_id": "fetch", "output": 1 }              |
      | node_completed | { "node_id": "parse", "output": { "rows": 3 } }  |
      | node_completed | { "node_id": "fetch", "output": 2 }              |
      | node_completed | { "node_id": "store" }                           |
      | audit.note     | { "node_id": "ignored", "output": 9 }            |
    Then the call succeeds
    And the completed node outputs of run "r1" are:
      """
      { "fetch": 2, "parse": { "rows": 3 }, "store": null }
      """

  @WF-UPD-5 @WF-OUT-4
  Scenario: The outputs of a list follow its order, as recommended: the node completed last comes last
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "completed" with the events:
      | event_type     | payload                             |
      | node_completed | { "node_id": "b", "output": 1 }     |
      | node_completed | { "node_id": "a", "output": 2 }     |
      | node_completed | { "node_id": "b", "output": 3 }     |
    Then the call succeeds
    And the outputs of run "r1" are in the order of their latest completion: "a, b"

  @WF-UPD-5 @WF-CAS-2 @WF-VAL-11
  Scenario Outline: An update refused with <code> appends none of its events and records no output
    Given a workflow run "r1" with status "running"
    When updateWorkflowRun is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with <code>
    And run "r1" has no events
    And the completed node outputs of run "r1" are:
      """
      {}
      """
    And the run "r1" is unchanged

    Examples:
      | code               | arguments                                                                                                                                                         |
      | STATUS_CONFLICT    | ["r1", { "status": "paused" }, { "expected_status": "failed", "events": [{ "event_type": "paused" }, { "event_type": "node_completed", "payload": { "node_id": "a" } }] }] |
      | INVALID_TRANSITION | ["r1", { "status": "pending" }, { "events": [{ "event_type": "reset" }, { "event_type": "node_completed", "payload": { "node_id": "a" } }] }]                       |
      | INVALID_INPUT      | ["r1", { "status": "completed" }, { "events": [{ "event_type": "node_completed", "payload": { "node_id": "a" } }, { "event_type": "not a type" }] }]              |

  @WF-UPD-5 @WF-UNK-1
  Scenario: An update of an unknown run with events creates nothing
    When updateWorkflowRun is called with the arguments:
      """
      ["ghost", { "status": "running" }, { "events": [{ "event_type": "a" }, { "event_type": "b" }] }]
      """
    Then the call fails with RUN_NOT_FOUND
    And no run exists

  @WF-UPD-5
  Scenario: 1,000 events with one update are accepted, numbered 1 to 1,000
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "completed" with 1000 events
    Then the call succeeds
    And the events of run "r1" have sequences 1 to 1000
    And events 1 to 1000 of run "r1" are timestamped with the run's updated_at

  @WF-UPD-5 @WF-VAL-11
  Scenario Outline: An update with <what> is refused at options.events, and nothing is written
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "completed" with <what>
    Then the call fails with INVALID_INPUT naming "options.events"
    And run "r1" has no events
    And the run "r1" is unchanged

    Examples:
      | what                               |
      | 1001 events                        |
      | an empty list of events            |
      | both an event and a list of events |

  @WF-UPD-5 @WF-VAL-11 @WF-ERR-4
  Scenario Outline: One event of the list that is not valid refuses the whole update, named at <field>
    Given a workflow run "r1" with status "running"
    When updateWorkflowRun is called with the arguments:
      """
      ["r1", { "status": "completed" }, { "events": [{ "event_type": "a" }, { "event_type": "b" }, <third>] }]
      """
    Then the call fails with INVALID_INPUT naming "<field>"
    And run "r1" has no events
    And the run "r1" is unchanged

    Examples:
      | third                                                         | field                             |
      | { "event_type": "not a type" }                                | options.events[2].event_type      |
      | { "event_type": "" }                                          | options.events[2].event_type      |
      | { "event_type": "x", "payload": [1] }                         | options.events[2].payload         |
      | { "event_type": "node_completed", "payload": {} }             | options.events[2].payload.node_id |
      | { "event_type": "node_completed", "payload": { "node_id": "../x" } } | options.events[2].payload.node_id |
      | { "event_type": "x", "colour": "red" }                        | options.events[2].colour          |
      | { "payload": {} }                                             | options.events[2].event_type      |
      | null                                                          | options.events[2]                 |
      | "x"                                                           | options.events[2]                 |
      | [{ "event_type": "x" }]                                       | options.events[2]                 |

  @WF-UPD-5 @WF-VAL-1 @WF-VAL-11
  Scenario Outline: <value> in the payload of the second of 3 events is refused with the path named
    Given a workflow run "r1" with status "running"
    When run "r1" is updated with 3 events, the payload of the second holding <value> at "steps[1].when"
    Then the call fails with INVALID_INPUT naming "options.events[1].payload.steps[1].when"
    And run "r1" has no events
    And the run "r1" is unchanged

    Examples:
      | value     |
      | a Date    |
      | NaN       |
      | undefined |
      | a cycle   |

  @WF-UPD-5 @WF-VAL-2 @WF-VAL-11
  Scenario Outline: <value> in the payload of the second of 3 events is refused, and nothing of it is run
    Given a workflow run "r1" with status "running"
    When run "r1" is updated with 3 events, the payload of the second holding <value> at "steps[1].when"
    Then the call fails with INVALID_INPUT naming "options.events[1].payload.steps[1].when"
    And no getter or Proxy trap of the input was run
    And run "r1" has no events

    Examples:
      | value                     |
      | a getter                  |
      | a Proxy                   |
      | a non-enumerable property |

  @WF-UPD-5 @WF-VAL-2 @WF-VAL-17 @WF-VAL-11
  Scenario Outline: A list of events given as <list> is refused, and nothing of it is run
    Given a workflow run "r1" with status "running"
    When run "r1" is updated to "completed" with its events given as <list>
    Then the call fails with INVALID_INPUT naming "<field>"
    And no getter or Proxy trap of the input was run
    And run "r1" has no events
    And the run "r1" is unchanged

    Examples:
      | list                            | field                |
      | a Proxy array                   | options.events       |
      | an array of a subclass of Array | options.events       |
      | an array of another realm       | options.events       |
      | an array-like object            | options.events       |
      | an array with an extra property | options.events.extra |
      | an array with a getter          | options.events[1]    |
      | a sparse array                  | options.events[1]    |

  @WF-UPD-5 @WF-VAL-17 @WF-VAL-11
  Scenario Outline: An event of the list given as <kind> is refused, its fields not read
    Given a workflow run "r1" with status "running"
    When run "r1" is updated to "completed" with its second event given as <kind>
    Then the call fails with INVALID_INPUT naming "options.events[1]"
    And run "r1" has no events
    And the run "r1" is unchanged

    Examples:
      | kind                            |
      | an object inheriting its fields |
      | an instance of a class          |
      | an array holding its fields     |

  @WF-UPD-5 @WF-VAL-8 @WF-VAL-11
  Scenario: Each event of the list is within the size limit: 16 MiB and one byte in the second refuses the update
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "completed" with 2 events, the second with a payload of 16 MiB and one byte
    Then the call fails with INVALID_INPUT naming "options.events[1].payload"
    And run "r1" has no events
    And the run "r1" is unchanged

  @WF-UPD-5 @WF-VAL-8
  Scenario: The size limit is each event's, not the list's: two events of exactly 16 MiB each are accepted
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "completed" with 2 events of exactly 16 MiB each
    Then the call succeeds
    And the events of run "r1" have sequences 1 to 2

  @WF-UPD-5 @WF-CAS-1
  Scenario: Eight concurrent resumes, each with 3 events: one wins, and its 3 events alone are appended
    Given a workflow run "r1" with status "failed"
    When 8 callers at once update the status of run "r1" to "running" expecting status "failed", each with 3 events
    Then exactly 1 of the 8 calls succeeds and the others fail with STATUS_CONFLICT
    And the events of run "r1" have sequences 1 to 3
    And the 3 events of run "r1" are those of the call that won

  @WF-UPD-5
  Scenario: A reader never sees a status without all of its events while a run is claimed and released 100 times
    Given a run "r1" that is claimed and released in cycles, each change with 3 events
    When it goes through 100 cycles while a reader in this process reads it
    Then the reader never saw a status without all of its events

  @WF-UPD-5 @multi-process
  Scenario: A reader in another process never sees a status without all of its events over 200 cycles
    Given a run "r1" that is claimed and released in cycles, each change with 3 events
    When it goes through 200 cycles while a reader in another process reads it
    Then the reader never saw a status without all of its events

  @WF-UPD-5 @alongside
  Scenario: A reader on a second store over the same data never sees a status without all of its events
    Given a run "r1" that is claimed and released in cycles, each change with 3 events
    When it goes through 100 cycles while a reader on a second store over the same data reads it
    Then the reader never saw a status without all of its events

  @WF-UPD-5 @WF-DUR-1 @durability
  Scenario: An update's events survive a reopen, and the next event continues their numbering
    Given a workflow run "r1" with status "running"
    And the status of run "r1" is updated to "completed" with 5 events
    When everything the store returns is noted and the store is reopened
    Then the store returns exactly what was noted
    And the events of run "r1" have sequences 1 to 5
    And the next event of run "r1" gets sequence 6
