@REQ-FILESYSTEM @backend:filesystem
Feature: Filesystem backend
  The filesystem backend SHALL store each workflow run as files in a directory: {artifactsDir}/{runId}/.

  @WF-FS-1
  Scenario: Filesystem stores events as JSONL
    Given a workflow run "r1"
    When the event "workflow_started" is appended to run "r1"
    And node "fetch" of run "r1" completes with output:
      """
      { "rows": 3 }
      """
    And node "parse" of run "r1" completes with output:
      """
      [1, 2, 3]
      """
    Then the directory of run "r1" holds "events.jsonl"
    And events.jsonl of run "r1" has one line per event, each the event as JSON
    And the node output file "nodes/fetch.json" of run "r1" holds the output:
      """
      { "rows": 3 }
      """
    And the node output file "nodes/parse.json" of run "r1" holds the output:
      """
      [1, 2, 3]
      """

  @WF-FS-1
  Scenario: Filesystem stores run metadata
    When a workflow run "r1" of workflow "build" is created with metadata:
      """
      { "owner": "ci", "attempt": 1 }
      """
    Then the directory of run "r1" holds "run.json"
    And run.json of run "r1" holds the run metadata as getWorkflowRun() returns it
