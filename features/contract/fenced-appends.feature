@contract @REQ-CONTRACT-FENCED-APPENDS
Feature: Appends fenced by the run's status and claim token
  createWorkflowEvent(input, { expected_status?, expected_metadata? }) appends the event only if the run
  matches both at the moment of the append, atomically with the write: a worker that lost its run
  (cancelled, or resumed by another worker with a new claim token) cannot write to it. Otherwise
  STATUS_CONFLICT, with `field`, and nothing is written. Checks run in this order: input, existence,
  expected_status, expected_metadata. The options object is closed.

  @WF-SEQ-4
  Scenario: An append whose run matches the expected status and metadata is stored
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1" }
      """
    When the event "node_started" is appended to run "r1" expecting status "running" and metadata { "claim": "t1" }
    Then the append is stored
    And the events of run "r1" have sequences 1 to 1

  @WF-SEQ-4 @WF-CAS-3
  Scenario: An append expecting another claim token is refused with STATUS_CONFLICT on metadata.claim, nothing written
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t2" }
      """
    When the event "node_started" is appended to run "r1" expecting metadata { "claim": "t1" }
    Then the call fails with STATUS_CONFLICT on "metadata.claim"
    And run "r1" has no events
    And the run "r1" is unchanged

  @WF-SEQ-4 @WF-CAS-3
  Scenario: An append expecting another status is refused with STATUS_CONFLICT on status, nothing written
    Given a workflow run "r1" with status "cancelled"
    When the event "node_started" is appended to run "r1" expecting status "running"
    Then the call fails with STATUS_CONFLICT on "status"
    And run "r1" has no events
    And the run "r1" is unchanged

  @WF-SEQ-4 @WF-OUT-2
  Scenario: A refused node_completed records no output
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t2" }
      """
    When node "fetch" of run "r1" completes with output 42, expecting metadata { "claim": "t1" }
    Then the call fails with STATUS_CONFLICT on "metadata.claim"
    And run "r1" has no events
    And the completed node outputs of run "r1" are:
      """
      {}
      """
    When node "fetch" of run "r1" completes with output 43, expecting metadata { "claim": "t2" }
    Then the call succeeds
    And the completed node outputs of run "r1" are:
      """
      { "fetch": 43 }
      """

  @WF-SEQ-4 @WF-CAS-3
  Scenario: A worker that lost its run to a resume elsewhere cannot write to it; the new worker can
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "worker-a" }
      """
    And the event "node_started" is appended to run "r1" expecting metadata { "claim": "worker-a" }
    And run "r1" is updated to status "failed" and metadata { "claim": null } expecting metadata { "claim": "worker-a" }
    And run "r1" is updated to status "running" and metadata { "claim": "worker-b" } expecting metadata { "claim": null }
    When the event "node_completed.late" is appended to run "r1" expecting status "running" and metadata { "claim": "worker-a" }
    Then the call fails with STATUS_CONFLICT on "metadata.claim"
    When the event "node_started" is appended to run "r1" expecting status "running" and metadata { "claim": "worker-b" }
    Then the call succeeds
    And the event log of run "r1" is:
      | sequence | event_type   |
      | 1        | node_started |
      | 2        | node_started |

  @WF-SEQ-4 @WF-CAS-3
  Scenario Outline: A fenced append compares JSON values as an update does: expecting <expected> where <stored> is stored, the append <verdict>
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "k": <stored> }
      """
    When the event "tick" is appended to run "r1" expecting metadata { "k": <expected> }
    Then the append <verdict>

    Examples:
      | stored                   | expected                 | verdict                                      |
      | { "a": 1, "b": [2, 3] }  | { "b": [2, 3], "a": 1 }  | is stored                                    |
      | 1                        | 1.0                      | is stored                                    |
      | [2, 3]                   | [3, 2]                   | is refused with STATUS_CONFLICT on "metadata.k" |
      | 1                        | "1"                      | is refused with STATUS_CONFLICT on "metadata.k" |
      | null                     | false                    | is refused with STATUS_CONFLICT on "metadata.k" |

  @WF-SEQ-4 @WF-CAS-3
  Scenario: A key the stored metadata lacks equals nothing on an append too, not even null
    Given a workflow run "r1" with status "running"
    When the event "tick" is appended to run "r1" expecting metadata { "claim": null }
    Then the append is refused with STATUS_CONFLICT on "metadata.claim"
    When the event "tick" is appended to run "r1" expecting metadata { "__proto__": {} }
    Then the append is refused with STATUS_CONFLICT on "metadata.__proto__"
    When the event "tick" is appended to run "r1" expecting metadata {}
    Then the append is stored

  @WF-SEQ-4 @WF-CAS-3
  Scenario: The status is checked before the metadata; the conflict names the first expected key that differs
    Given a workflow run "r1" with status "paused" and metadata:
      """
      { "a": 1, "b": 2 }
      """
    When the event "tick" is appended to run "r1" expecting status "running" and metadata { "a": 9 }
    Then the append is refused with STATUS_CONFLICT on "status"
    When the event "tick" is appended to run "r1" expecting status "paused" and metadata { "a": 1, "b": 9, "c": 9 }
    Then the append is refused with STATUS_CONFLICT on "metadata.b"
    When the event "tick" is appended to run "r1" expecting status "paused" and metadata { "b": 2, "a": 1 }
    Then the append is stored

  @WF-SEQ-4 @WF-SEQ-3
  Scenario: A fenced append does not change the run, and keeps the numbering gapless around refused appends
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1" }
      """
    And the clock moves on 1000 ms
    When the event "a" is appended to run "r1" expecting metadata { "claim": "t1" }
    And the event "b" is appended to run "r1" expecting metadata { "claim": "t0" }
    And the event "c" is appended to run "r1" expecting status "running"
    And the event "d" is appended to run "r1" expecting status "paused"
    And the event "e" is appended to run "r1"
    Then the run "r1" is unchanged
    And the event log of run "r1" is:
      | sequence | event_type |
      | 1        | a          |
      | 2        | c          |
      | 3        | e          |

  @WF-SEQ-4 @WF-UNK-1
  Scenario: An unknown run is reported before the conditions
    When the event "tick" is appended to run "ghost" expecting status "running" and metadata { "claim": "t1" }
    Then the call fails with RUN_NOT_FOUND naming "ghost"
    And no run exists

  @WF-SEQ-4 @WF-VAL-11
  Scenario Outline: An append with <what> is INVALID_INPUT, on a run that exists or not
    Given a workflow run "r1" with status "running"
    When createWorkflowEvent is called with the arguments:
      """
      [{ "run_id": "<run>", "event_type": "tick" }, <options>]
      """
    Then the call fails with INVALID_INPUT naming "<field>"
    And run "r1" has no events
    And no run but "r1" exists

    Examples:
      | what                                  | run   | options                                           | field                           |
      | an expected status that is no status  | r1    | { "expected_status": "done" }                     | options.expected_status         |
      | an expected status that is no status  | ghost | { "expected_status": "done" }                     | options.expected_status         |
      | null as expected status               | r1    | { "expected_status": null }                       | options.expected_status         |
      | a misspelt option                     | r1    | { "expectedStatus": "running" }                   | options.expectedStatus          |
      | a misspelt option                     | ghost | { "expectedStatus": "running" }                   | options.expectedStatus          |
      | an option of updates only             | r1    | { "event": { "event_type": "x" } }                | options.event                   |
      | an expected_metadata that is an array | r1    | { "expected_metadata": ["claim"] }                | options.expected_metadata       |
      | an expected_metadata that is null     | ghost | { "expected_metadata": null }                     | options.expected_metadata       |
      | an expected_metadata that is a string | r1    | { "expected_metadata": "t1" }                     | options.expected_metadata       |
      | an array as options                   | r1    | ["running"]                                       | options                         |

  @WF-SEQ-4 @WF-VAL-2 @WF-VAL-11
  Scenario Outline: An append whose expected metadata holds <value> is refused, and nothing of it is run
    Given a workflow run "r1" with status "running"
    When an event is appended to run "r1" expecting metadata holding <value> at "claim"
    Then the call fails with INVALID_INPUT naming "options.expected_metadata.claim"
    And no getter or Proxy trap of the input was run
    And run "r1" has no events

    Examples:
      | value     |
      | a getter  |
      | a Proxy   |
      | a Date    |
      | NaN       |

  @WF-SEQ-4 @WF-VAL-11
  Scenario Outline: An append whose options are given as <kind> is refused, their fields not read
    Given a workflow run "r1" with status "running"
    When createWorkflowEvent is called with the arguments, the second one given as <kind>:
      """
      [{ "run_id": "r1", "event_type": "tick" }, { "expected_status": "paused" }]
      """
    Then the call fails with INVALID_INPUT
    And run "r1" has no events

    Examples:
      | kind                            |
      | an object inheriting its fields |
      | an instance of a class          |
      | an array holding its fields     |

  @WF-SEQ-4
  Scenario: Options omitted, undefined, or empty leave the append unfenced
    Given a workflow run "r1" with status "cancelled"
    When createWorkflowEvent is called with the arguments:
      """
      [{ "run_id": "r1", "event_type": "a" }, {}]
      """
    Then the call succeeds
    When the event "b" is appended to run "r1" with options undefined, and with each option undefined
    Then the call succeeds
    And the events of run "r1" have sequences 1 to 3

  @WF-SEQ-4 @WF-CAS-3
  Scenario Outline: Of 40 appends fenced by <fence> racing <change>, none lands after the change
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1" }
      """
    When 40 events fenced by <fence> are appended to run "r1" while <change>, with the event "changed"
    Then no fenced event is in the log of run "r1" after the event "changed"
    And each fenced append either is in the log or failed with STATUS_CONFLICT
    And the log of run "r1" is numbered 1 to its length

    Examples:
      | fence                                     | change                                                      |
      | metadata { "claim": "t1" }                | run "r1" is updated with metadata { "claim": "t2" }         |
      | status "running"                          | the status of run "r1" is updated to "cancelled"            |
      | status "running" and metadata { "claim": "t1" } | the status of run "r1" is updated to "failed"        |

  @WF-SEQ-4 @WF-CAS-3 @alongside
  Scenario: Of 40 appends on a second store over the same data, fenced by the claim, none lands after the claim changed
    Given a workflow run "r1" with status "running" and metadata:
      """
      { "claim": "t1" }
      """
    When 40 events fenced by metadata { "claim": "t1" } are appended to run "r1" through a second store over the same data while run "r1" is updated with metadata { "claim": "t2" }, with the event "changed"
    Then no fenced event is in the log of run "r1" after the event "changed"
    And each fenced append either is in the log or failed with STATUS_CONFLICT
    And the log of run "r1" is numbered 1 to its length
