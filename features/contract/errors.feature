@contract @REQ-CONTRACT-ERRORS
Feature: Errors and codes
  Every failure is an Error named "WorkflowStoreError" with a code from the contract's list, recognised by
  those two properties and not by class identity. As recommended, the message names the operation and
  the run, field or transition, and the error carries them as properties.

  @WF-ERR-1 @WF-ERR-2 @WF-ERR-3
  Scenario: An error is recognised by its name and code, and names the run
    When createWorkflowEvent is called for the unknown run "missing-run"
    Then the error is a WorkflowStoreError with code RUN_NOT_FOUND
    And the error message names "missing-run"
    And the error message names "createWorkflowEvent"

  @WF-TRN-2 @WF-ERR-3
  Scenario: A refused transition carries both statuses and names them
    Given a workflow run "r1" with status "completed"
    When the status of run "r1" is updated to "running"
    Then the call fails with INVALID_TRANSITION from "completed" to "running"
    And the error message names "completed"
        And the error message names "running"
