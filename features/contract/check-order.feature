@contract @REQ-CONTRACT-CHECK-ORDER
Feature: Input is checked before the stored data, then the clock
  Every operation refuses bad input with INVALID_INPUT whatever the store holds: on an unknown run it is
  not RUN_NOT_FOUND, with a taken id not RUN_ALREADY_EXISTS. A clock outside years 1 to 9999 is the
  store's fault: the calls that write a timestamp fail with BACKEND_FAILURE, after the input checks and
  before the stored data is looked at.

  @WF-ERR-5
  Scenario Outline: <operation> with <what> on an unknown run fails with INVALID_INPUT, not RUN_NOT_FOUND
    When <operation> is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT naming "<field>"
    And no run exists

    Examples:
      | operation           | what                                   | arguments                                                              | field           |
      | createWorkflowEvent | an empty event type                    | [{ "run_id": "ghost", "event_type": "" }]                              | event_type      |
      | createWorkflowEvent | a node_completed event without node id | [{ "run_id": "ghost", "event_type": "node_completed", "payload": {} }] | payload.node_id |
      | createWorkflowEvent | an unknown field                       | [{ "run_id": "ghost", "event_type": "x", "sequence": 1 }]              | sequence        |
      | listWorkflowEvents  | a limit of -1                          | ["ghost", { "limit": -1 }]                                             | limit           |
      | listWorkflowEvents  | an unknown option                      | ["ghost", { "before": 3 }]                                             | before          |

  @WF-ERR-5
  Scenario Outline: createWorkflowRun with a taken id and <what> fails with INVALID_INPUT, not RUN_ALREADY_EXISTS
    Given a workflow run "r1"
    When createWorkflowRun is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT naming "<field>"
    And the run "r1" is unchanged
    And no run but "r1" exists

    Examples:
      | what                       | arguments                                                                    | field         |
      | NUL in the workflow name   | [{ "id": "r1", "workflow_name": "a\\u0000b", "user_message": "" }]           | workflow_name |
      | a status that is no status | [{ "id": "r1", "workflow_name": "w", "user_message": "", "status": "done" }] | status        |
      | an array as metadata       | [{ "id": "r1", "workflow_name": "w", "user_message": "", "metadata": [] }]   | metadata      |
      | no user message            | [{ "id": "r1", "workflow_name": "w" }]                                       | user_message  |

  @WF-DET-2 @clock
  Scenario Outline: A clock reading <time> fails <operation> with BACKEND_FAILURE, and nothing is written
    Given a workflow run "r1"
    When the store's clock reads <time>
    And <operation> is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with BACKEND_FAILURE
    And the run "r1" is unchanged
    And run "r1" has no events
    And no run but "r1" exists

    Examples:
      | time                          | operation           | arguments                                                  |
      | "+010000-01-01T00:00:00.000Z" | createWorkflowRun   | [{ "id": "r2", "workflow_name": "w", "user_message": "" }] |
      | "+010000-01-01T00:00:00.000Z" | updateWorkflowRun   | ["r1", { "status": "running" }]                            |
      | "+010000-01-01T00:00:00.000Z" | createWorkflowEvent | [{ "run_id": "r1", "event_type": "x" }]                    |
      | "0000-12-31T23:59:59.999Z"    | createWorkflowRun   | [{ "id": "r2", "workflow_name": "w", "user_message": "" }] |
      | "0000-12-31T23:59:59.999Z"    | createWorkflowEvent | [{ "run_id": "r1", "event_type": "x" }]                    |
      | an invalid Date               | updateWorkflowRun   | ["r1", { "metadata": { "a": 1 } }]                         |
      | an invalid Date               | createWorkflowEvent | [{ "run_id": "r1", "event_type": "x" }]                    |

  @WF-DET-2 @WF-ERR-5 @clock
  Scenario Outline: With the clock outside years 1 to 9999, <operation> with <what> fails with INVALID_INPUT
    Given a workflow run "r1"
    When the store's clock reads "+010000-01-01T00:00:00.000Z"
    And <operation> is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT naming "<field>"
    And the run "r1" is unchanged
    And run "r1" has no events
    And no run but "r1" exists

    Examples:
      | operation           | what                       | arguments                                                          | field         |
      | createWorkflowRun   | NUL in the workflow name   | [{ "id": "r2", "workflow_name": "a\\u0000b", "user_message": "" }] | workflow_name |
      | updateWorkflowRun   | a status that is no status | ["r1", { "status": "done" }]                                       | patch.status  |
      | createWorkflowEvent | an empty event type        | [{ "run_id": "r1", "event_type": "" }]                             | event_type    |

  @WF-DET-2 @WF-ERR-5 @clock
  Scenario: The clock is checked after the input and before the stored data
    Given a workflow run "r1"
    When the store's clock reads "+010000-01-01T00:00:00.000Z"
    And the event "" is appended to run "r1"
    Then the call fails with INVALID_INPUT naming "event_type"
    When the event "x" is appended to run "ghost"
    Then the call fails with BACKEND_FAILURE
    When updateWorkflowRun is called for the unknown run "ghost"
    Then the call fails with BACKEND_FAILURE
    When a workflow run with id "r1" is created
    Then the call fails with BACKEND_FAILURE
    And the run "r1" is unchanged
    And no run but "r1" exists

  @WF-DET-2 @clock
  Scenario: With the clock outside years 1 to 9999, the calls that write no timestamp answer as usual
    Given a workflow run "r1"
    When the store's clock reads "+010000-01-01T00:00:00.000Z"
    Then the run "r1" is unchanged
    And run "r1" has no events
    When the runs are listed
    Then the listed run ids are "r1"
    And the completed node outputs of run "r1" are:
      """
      {}
      """
    When the run "r1" is deleted
    Then the call returns true

  @WF-DET-2 @ids
  Scenario: A generated id that is not an identifier fails createWorkflowRun with BACKEND_FAILURE
    Given a workflow run "r1"
    When the store's id source gives "not an id!" next
    And a workflow run of workflow "build" is created without an id
    Then the call fails with BACKEND_FAILURE
    And no run but "r1" exists
