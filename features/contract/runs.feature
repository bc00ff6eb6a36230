@contract @REQ-CONTRACT-RUNS
Feature: Runs are created, read, listed and deleted
  A run is created once, read back exactly as stored, listed in creation order, and deleted with
  everything that belongs to it (docs/contract.md, WF-RUN).

  @WF-RUN-1 @WF-VAL-7
  Scenario: A new run starts pending, with empty metadata and created_at equal to updated_at
    When a workflow run "r1" of workflow "build" is created with message "go"
    Then createWorkflowRun() returned the run "r1" with status "pending"
    And the run "r1" is stored exactly as it was returned
    And the run "r1" has metadata:
      """
      {}
      """
    And the run "r1" has created_at equal to updated_at

  @WF-RUN-2
  Scenario: A run created without an id gets one from the store
    When a workflow run of workflow "build" is created without an id
    Then the call succeeds
    And the returned run has an id the store generated

  @WF-RUN-2
  Scenario: Runs created without an id get different ids
    When 5 runs of workflow "build" are created without an id
    Then their ids are 5 different identifiers, each reading back its run

  @WF-RUN-3
  Scenario: A duplicate id is refused and the existing run is untouched
    Given a workflow run "r1" of workflow "first"
    And the clock moves on 1000 ms
    When a workflow run "r1" of workflow "second" is created with message "again"
    Then the call fails with RUN_ALREADY_EXISTS naming "r1"
    And the run "r1" still has workflow name "first"
    And the run "r1" is unchanged

  @WF-RUN-4 @clock
  Scenario: Runs are listed by creation time, then by id in code-unit order
    Given a workflow run "c"
    And a workflow run "a"
    And the clock moves on 1 ms
    And a workflow run "B"
    And a workflow run "b"
    When the runs are listed
    Then the listed run ids are "a, c, B, b"

  @WF-RUN-4
  Scenario: Runs created one after another are listed in the order of their created_at, then id
    Given a workflow run "m"
    And the clock moves on 5 ms
    And a workflow run "Z"
    And a workflow run "b"
    And the clock moves on 5 ms
    And a workflow run "a"
    When the runs are listed
    Then the listed runs are in order of created_at, then id
    And the listed run ids are "m, Z, b, a"

  @WF-RUN-4
  Scenario: Runs created as fast as the store allows are listed by created_at, then by id in code-unit order
    Given the runs "z, B, a, Y, m, A, b, c, Z, y, M, n, 1, x_1" are created one after another, as fast as the store allows
    When the runs are listed
    Then the listed runs are in order of created_at, then id

  @WF-RUN-4
  Scenario: The limit is applied after ordering: the first runs created come first
    Given a workflow run "zeta"
    And the clock moves on 5 ms
    And a workflow run "alpha"
    And the clock moves on 5 ms
    And a workflow run "mid"
    When the runs are listed with limit 2
    Then the listed run ids are "zeta, alpha"

  @WF-RUN-4 @clock
  Scenario: The limit is applied after ordering, also when runs are stored in another order
    Given the clock moves on 10000 ms
    And a workflow run "late"
    And the clock moves back 5000 ms
    And a workflow run "early"
    When the runs are listed with limit 1
    Then the listed run ids are "early"

  @WF-RUN-4
  Scenario: Runs are filtered by status and workflow name, and limited
    Given a workflow run "p1" of workflow "x"
    And the clock moves on 2 ms
    And a workflow run "r1" of workflow "x" with status "running"
    And the clock moves on 2 ms
    And a workflow run "r2" of workflow "y" with status "running"
    When the runs with status "running" are listed
    Then the listed run ids are "r1, r2"
    When the runs of workflow "x" are listed
    Then the listed run ids are "p1, r1"
    When the runs are listed with limit 1
    Then the listed run ids are "p1"
    When the runs are listed with limit 0
    Then the listed run ids are ""

  @WF-RUN-4
  Scenario: Both filters keep the runs that match both, and the limit counts only the runs kept
    Given a workflow run "a" of workflow "x" with status "pending"
    And the clock moves on 2 ms
    And a workflow run "b" of workflow "y" with status "running"
    And the clock moves on 2 ms
    And a workflow run "c" of workflow "x" with status "running"
    And the clock moves on 2 ms
    And a workflow run "d" of workflow "x" with status "running"
    When the runs of workflow "x" with status "running" are listed
    Then the listed run ids are "c, d"
    When the runs of workflow "x" with status "running" are listed with limit 1
    Then the listed run ids are "c"

  @WF-RUN-5
  Scenario: Deleting a run reports whether it existed
    Given a workflow run "r1"
    When the run "r1" is deleted
    Then the call returns true
    When the run "r1" is deleted
    Then the call returns false
