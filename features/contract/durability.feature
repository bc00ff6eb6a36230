@contract @REQ-CONTRACT-DURABILITY @durability
Feature: Durability across a reopen
  What is read after a reopen is exactly what was acknowledged before.

  @WF-DUR-1
  Scenario: Runs, events and outputs survive closing and reopening the store
    Given a workflow run "a" with metadata:
      """
      { "m": 1 }
      """
    And a workflow run "b"
    And the status of run "a" is updated to "running"
    And node "n1" of run "a" completes with output:
      """
      { "rows": 3 }
      """
    And the event "node_started" is appended to run "a"
    And the run "b" is deleted
    When everything the store returns is noted and the store is reopened
    Then the store returns exactly what was noted
    And the next event of run "a" gets sequence 3
