@REQ-STORE-INTERFACE
Feature: IWorkflowStore interface
  All storage backends SHALL implement the IWorkflowStore interface providing run lifecycle,
  event persistence, and node output retrieval.

  @WF-RUN-1 @WF-UPD-2 @WF-RUN-5
  Scenario: Store provides run CRUD
    When a workflow run "build-1" of workflow "build" is created with message "compile everything"
    Then createWorkflowRun() returned the run "build-1" with status "pending"
    And the run "build-1" is stored exactly as it was returned
    When the clock moves on 10 ms
    And the status of run "build-1" is updated to "running"
    Then the run "build-1" is stored with status "running"
    And the run "build-1" has updated_at equal to the store's time of that call
    When the run "build-1" is deleted
    Then the run "build-1" does not exist

  @WF-SEQ-1 @WF-SEQ-2
  Scenario: Store provides event persistence
    Given a workflow run "build-1"
    When the event "workflow_started" is appended to run "build-1"
    And the event "node_started" is appended to run "build-1" with payload:
      """
      { "node_id": "fetch" }
      """
    Then the event log of run "build-1" is:
      | sequence | event_type       |
      | 1        | workflow_started |
      | 2        | node_started     |
    And each listed event is the one createWorkflowEvent() returned

  @WF-OUT-3 @WF-ENG-1
  Scenario: Store provides completed node outputs
    Given the reference engine ran workflow "three-steps" as run "r1", and node "transform" failed once
    When the reference engine resumes run "r1"
    Then getCompletedDagNodeOutputs() of run "r1" returned the outputs of "fetch" and "parse" keyed by node id
    And the nodes "fetch" and "parse" ran once each
    And the completed node outputs of run "r1" are:
      """
      { "fetch": { "rows": 3 }, "parse": [1, 2, 3], "transform": [2, 4, 6] }
      """
    And the run "r1" is stored with status "completed"
