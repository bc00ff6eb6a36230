@contract @REQ-CONTRACT-DETERMINISM
Feature: An injected clock and id source
  As recommended, a store takes a clock (now) and an id source (generateId) and uses them for every
  timestamp and generated id, so several backends can run on one clock and be compared exactly.

  @WF-DET-1
  Scenario: The store runs on the harness's clock and ids
    Given the store takes the harness's clock and id source, as recommended
    When a workflow run of workflow "build" is created without an id
    Then the returned run has an id the store generated
    And createWorkflowRun() returned the run "generated-1" with status "pending"
    When the clock moves on 1234 ms
    And the status of run "generated-1" is updated to "running"
    Then the run "generated-1" has updated_at equal to the store's time of that call
