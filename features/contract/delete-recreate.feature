@contract @REQ-CONTRACT-DELETE
Feature: Delete and recreate
  A deleted run is unknown, its events and outputs go with it, and a run created again with the same id
  starts from nothing.

  @WF-RUN-5 @WF-UNK-1
  Scenario: A deleted run's events and outputs are gone
    Given a workflow run "r1"
    And node "n" of run "r1" completes with output:
      """
      "old"
      """
    When the run "r1" is deleted
    Then the run "r1" does not exist
    When listWorkflowEvents is called for the unknown run "r1"
    Then the call fails with RUN_NOT_FOUND naming "r1"

  @WF-RUN-6
  Scenario: Recreating a deleted run with the same id gives an empty run
    Given a workflow run "r1" with metadata:
      """
      { "old": true }
      """
    And the event "workflow_started" is appended to run "r1"
    And node "n" of run "r1" completes with output:
      """
      "old"
      """
    When the run "r1" is deleted
    And a workflow run "r1" of workflow "build" is created with message "again"
    Then the run "r1" has metadata:
      """
      {}
      """
    And run "r1" has no events
    And the completed node outputs of run "r1" are:
      """
      {}
      """
    When the event "workflow_started" is appended to run "r1"
    Then the events of run "r1" have sequences 1 to 1

  @WF-RUN-6
  Scenario: A run created again after a delete is created at the store's time of that call
    Given a workflow run "r1"
    And the run "r1" is deleted
    And the clock moves on 1000 ms
    When a workflow run "r1" of workflow "build" is created with message "again"
    Then createWorkflowRun() returned the run "r1" with status "pending"
    And the run "r1" is stored exactly as it was returned

  @WF-RUN-5
  Scenario: Deleting one run leaves the others alone
    Given a workflow run "keep"
    And a workflow run "drop"
    And the event "workflow_started" is appended to run "keep"
    When the run "drop" is deleted
    Then the events of run "keep" have sequences 1 to 1
    When the runs are listed
    Then the listed run ids are "keep"
