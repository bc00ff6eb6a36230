@contract @REQ-CONTRACT-ERRORS
Feature: Errors and codes
  Errors are instances of one exported WorkflowStoreError class with a code, and a message naming the
  run, field or transition. The same input gives the same code on every backend.

  Scenario: An error is a WorkflowStoreError with a code and a message naming the run
    When createWorkflowEvent is called for the unknown run "missing-run"
    Then the error is a WorkflowStoreError with code RUN_NOT_FOUND
    And the error message names "missing-run"

  Scenario: A refused transition names both statuses
    Given a workflow run "r1" with status "completed"
    When the status of run "r1" is updated to "running"
    Then the error message names "completed"
    And the error message names "running"
