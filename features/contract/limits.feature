@contract @REQ-CONTRACT-VALIDATION
Feature: Limits, input shapes and options
  Sizes are counted in UTF-8 bytes; a metadata patch is limited by the merged metadata; payloads and
  metadata are JSON objects; options and filters are checked like the fields they stand for, and null is
  not "absent". A refused call writes nothing.

  @WF-VAL-8 @WF-VAL-11
  Scenario: A payload is limited to 16 MiB counted in UTF-8 bytes, not in characters
    Given a workflow run "r1"
    When an event is appended to run "r1" whose payload is exactly 16 MiB of two-byte characters
    Then the call succeeds
    When an event is appended to run "r1" whose payload is 16 MiB and one byte of two-byte characters
    Then the call fails with INVALID_INPUT naming "payload"
    And the events of run "r1" have sequences 1 to 1

  @WF-VAL-8 @WF-VAL-11
  Scenario: A user message is limited to 1 MiB counted in UTF-8 bytes
    When a workflow run "r1" is created with a user message of exactly 1 MiB of two-byte characters
    Then the call succeeds
    When a workflow run "r2" is created with a user message of 1 MiB and one byte of two-byte characters
    Then the call fails with INVALID_INPUT naming "user_message"
    And the run "r2" does not exist

  @WF-VAL-8 @WF-VAL-11
  Scenario: Run metadata is limited to 16 MiB when the run is created
    When a workflow run "r1" is created with metadata of exactly 16 MiB of two-byte characters
    Then the call succeeds
    When a workflow run "r2" is created with metadata of 16 MiB and one byte of two-byte characters
    Then the call fails with INVALID_INPUT naming "metadata"
    And no run but "r1" exists

  @WF-VAL-8 @WF-VAL-11
  Scenario: A workflow name is 1 to 256 UTF-16 code units, not characters
    When a workflow run "r1" is created with a workflow name of 128 characters outside the BMP
    Then the call succeeds
    When a workflow run "r2" is created with a workflow name of 129 characters outside the BMP
    Then the call fails with INVALID_INPUT naming "workflow_name"
    When a workflow run "r3" is created with an empty workflow name
    Then the call fails with INVALID_INPUT naming "workflow_name"
    And no run but "r1" exists

  @WF-VAL-15 @WF-VAL-11
  Scenario: A metadata patch is refused when the merged metadata would exceed 16 MiB
    Given a workflow run "r1" with 10 MiB of metadata under "a"
    When run "r1" is updated with 7 MiB of metadata under "b"
    Then the call fails with INVALID_INPUT
    And the run "r1" is unchanged

  @WF-VAL-15 @WF-VAL-11
  Scenario: The merged metadata's size is checked last: a refused transition is refused as such
    Given a workflow run "r1" with 10 MiB of metadata under "a"
    When run "r1" is updated to status "completed" with 7 MiB of metadata under "b"
    Then the call fails with INVALID_TRANSITION
    And the run "r1" is unchanged

  @WF-VAL-1 @WF-VAL-11
  Scenario Outline: <operation> with <what> is refused
    Given a workflow run "r1"
    When <operation> is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT
    And run "r1" has no events
    And the run "r1" is unchanged

    Examples:
      | operation           | what                       | arguments                                                          |
      | createWorkflowEvent | an array as payload        | [{ "run_id": "r1", "event_type": "x", "payload": [1, 2] }]          |
      | createWorkflowEvent | a string as payload        | [{ "run_id": "r1", "event_type": "x", "payload": "text" }]          |
      | updateWorkflowRun   | an array as metadata       | ["r1", { "metadata": [1] }]                                        |
      | createWorkflowRun   | a number as metadata       | [{ "id": "r2", "workflow_name": "w", "user_message": "", "metadata": 1 }] |

  @WF-VAL-13 @WF-VAL-11
  Scenario Outline: <operation> with <what> is refused
    Given a workflow run "r1"
    When <operation> is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT
    And the run "r1" is unchanged
    And no run but "r1" exists

    Examples:
      | operation           | what                              | arguments                                                                  |
      | listWorkflowRuns    | a status filter that is no status | [{ "status": "bogus" }]                                                    |
      | listWorkflowRuns    | null as the status filter         | [{ "status": null }]                                                       |
      | listWorkflowRuns    | an empty workflow_name filter     | [{ "workflow_name": "" }]                                                  |
      | listWorkflowRuns    | an unknown option                 | [{ "sort": "desc" }]                                                       |
      | createWorkflowEvent | an unknown field                  | [{ "run_id": "r1", "event_type": "x", "color": "red" }]                    |
      | createWorkflowRun   | null as status                    | [{ "id": "r2", "workflow_name": "w", "user_message": "", "status": null }] |
      | createWorkflowRun   | null as id                        | [{ "id": null, "workflow_name": "w", "user_message": "" }]                 |
      | createWorkflowRun   | no user_message                   | [{ "id": "r2", "workflow_name": "w" }]                                     |
      | updateWorkflowRun   | null as the new status            | ["r1", { "status": null }]                                                 |
      | updateWorkflowRun   | null as expected_status           | ["r1", { "status": "running" }, { "expected_status": null }]               |
      | updateWorkflowRun   | a status that is no status        | ["r1", { "status": "done" }]                                               |

  @WF-VAL-6 @WF-VAL-11
  Scenario Outline: <operation> with the run id "<id>" is refused
    When <operation> is called for the unknown run "<id>"
    Then the call fails with INVALID_INPUT
    And no run exists

    Examples:
      | operation                  | id    |
      | getWorkflowRun             | ..    |
      | updateWorkflowRun          | a/b   |
      | deleteWorkflowRun          | /abs  |
      | createWorkflowEvent        | ../x  |
      | listWorkflowEvents         |       |
      | getCompletedDagNodeOutputs | a b   |

  @WF-VAL-1
  Scenario: The same object twice in a payload (not a cycle) is accepted, and comes back as two copies
    Given a workflow run "r1"
    When an event is appended to run "r1" whose payload holds one object at "a" and at "b"
    Then the call succeeds
    And the payload of event 1 of run "r1" is:
      """
      { "a": { "shared": [1] }, "b": { "shared": [1] } }
      """

  @WF-VAL-13
  Scenario: Optional fields given as undefined are treated as absent
    When a workflow run "r1" is created with id, status and metadata given as undefined where optional
    Then the call succeeds
    And the run "r1" is stored with status "pending"
    And the run "r1" has metadata:
      """
      {}
      """
