@contract @REQ-CONTRACT-RUNS
Feature: Runs are created, read, listed and deleted
  A run is created once, read back exactly as stored, listed in creation order, and deleted with
  everything that belongs to it.

  Scenario: A new run starts pending, with empty metadata and created_at equal to updated_at
    When a workflow run "r1" of workflow "build" is created with message "go"
    Then createWorkflowRun() returned the run "r1" with status "pending"
    And the run "r1" has metadata:
      """
      {}
      """
    And the run "r1" has created_at equal to updated_at

  Scenario: A run created without an id gets one from the store
    When a workflow run of workflow "build" is created without an id
    Then the call succeeds
    And the returned run has an id the store generated

  Scenario: A duplicate id is refused and the existing run is untouched
    Given a workflow run "r1" of workflow "first"
    And the clock moves on 1000 ms
    When a workflow run "r1" of workflow "second" is created with message "again"
    Then the call fails with RUN_ALREADY_EXISTS naming "r1"
    And the run "r1" still has workflow name "first"

  Scenario: Runs are listed by creation time, then by id in code-unit order
    Given a workflow run "c"
    And a workflow run "a"
    And the clock moves on 1 ms
    And a workflow run "B"
    And a workflow run "b"
    When the runs are listed
    Then the listed run ids are "a, c, B, b"

  Scenario: Runs are filtered by status and workflow name, and limited
    Given a workflow run "p1" of workflow "x"
    And a workflow run "r1" of workflow "x" with status "running"
    And a workflow run "r2" of workflow "y" with status "running"
    When the runs with status "running" are listed
    Then the listed run ids are "r1, r2"
    When the runs of workflow "x" are listed
    Then the listed run ids are "p1, r1"
    When the runs are listed with limit 1
    Then the listed run ids are "p1"

  Scenario: Deleting a run reports whether it existed
    Given a workflow run "r1"
    When the run "r1" is deleted
    Then the call returns true
    When the run "r1" is deleted
    Then the call returns false
