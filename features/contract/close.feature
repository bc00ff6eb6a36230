@contract @REQ-CONTRACT-CLOSE
Feature: Closing a store
  close() is idempotent, waits for calls under way, and every later call fails with STORE_CLOSED.

  @WF-CLS-1
  Scenario: After close() every operation fails with STORE_CLOSED
    Given a workflow run "r1"
    When the store is closed
    And the store is closed again
    Then the call succeeds
    And every operation on run "r1" fails with STORE_CLOSED

  @WF-CLS-2 @WF-CLS-3
  Scenario: Calls made before close() complete, and close() resolves after them
    Given a workflow run "r1"
    When 10 events are appended to run "r1" and the store is closed without waiting for them
    Then all 10 had settled when close() resolved
    And all 10 appends succeed

  @WF-CLS-2 @WF-DUR-1 @durability
  Scenario: What calls made before close() wrote is there after a reopen
    Given a workflow run "r1"
    When 10 events are appended to run "r1" and the store is closed without waiting for them
    And the store is reopened
    Then the events of run "r1" have sequences 1 to 10
