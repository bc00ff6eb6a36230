@contract @REQ-CONTRACT-UNKNOWN-RUNS
Feature: Unknown runs
  Every operation on an unknown run id fails with RUN_NOT_FOUND, except getWorkflowRun (null) and
  deleteWorkflowRun (false).

  @WF-UNK-1 @WF-ERR-3 @WF-ERR-4
  Scenario Outline: <operation> on an unknown run fails with RUN_NOT_FOUND naming the run
    When <operation> is called for the unknown run "ghost"
    Then the call fails with RUN_NOT_FOUND naming "ghost"
    And no run exists

    Examples:
      | operation                  |
      | updateWorkflowRun          |
      | createWorkflowEvent        |
      | listWorkflowEvents         |
      | getCompletedDagNodeOutputs |

  @WF-UNK-1
  Scenario: Reading an unknown run gives null
    When getWorkflowRun is called for the unknown run "ghost"
    Then the call returns null

  @WF-UNK-1
  Scenario: Deleting an unknown run gives false
    When deleteWorkflowRun is called for the unknown run "ghost"
    Then the call returns false
