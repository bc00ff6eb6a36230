@contract @REQ-CONTRACT-UPDATE-EVENT
Feature: A status change and its event, committed together
  updateWorkflowRun(id, patch, { event }) appends the event in the same commit as the update: a reader
  sees both or neither, and a refused update appends nothing.

  @WF-UPD-4
  Scenario: The update and its event are stored together, the event timestamped with the update
    Given a workflow run "r1" with status "failed"
    And the event "workflow_failed" is appended to run "r1"
    And the clock moves on 1000 ms
    When the status of run "r1" is updated to "running" expecting status "failed" with the event "workflow_resumed"
    Then the call succeeds
    And the run "r1" is stored with status "running"
    And the event log of run "r1" is:
      | sequence | event_type       |
      | 1        | workflow_failed  |
      | 2        | workflow_resumed |
    And the timestamp of event 2 of run "r1" is the run's updated_at

  @WF-UPD-4 @WF-CAS-1
  Scenario: A refused update appends no event
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "running" expecting status "failed" with the event "workflow_resumed"
    Then the call fails with STATUS_CONFLICT
    And run "r1" has no events
    When the status of run "r1" is updated to "pending" with the event "workflow_reset"
    Then the call fails with INVALID_TRANSITION from "running" to "pending"
    And run "r1" has no events
    And the run "r1" is unchanged

  @WF-UPD-4 @WF-VAL-12
  Scenario: An event that is not valid refuses the whole update
    Given a workflow run "r1" with status "failed"
    When the status of run "r1" is updated to "running" with the event "not a type"
    Then the call fails with INVALID_INPUT naming "options.event.event_type"
    And the run "r1" is unchanged
    And run "r1" has no events

  @WF-UPD-4 @WF-OUT-1
  Scenario: A node_completed event given with the update records its output
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "completed" with the completion of node "last" with output:
      """
      { "done": true }
      """
    Then the call succeeds
    And the completed node outputs of run "r1" are:
      """
      { "last": { "done": true } }
      """

  @WF-UPD-4 @WF-CAS-1
  Scenario: Eight concurrent resumes with their event: one wins, and one event is appended
    Given a workflow run "r1" with status "failed"
    When 8 callers at once update the status of run "r1" to "running" expecting status "failed" with the event "workflow_resumed"
    Then exactly 1 of the 8 calls succeeds and the others fail with STATUS_CONFLICT
    And the event log of run "r1" is:
      | sequence | event_type       |
      | 1        | workflow_resumed |

  @WF-UPD-4
  Scenario: A reader never sees a status without its event while a run is claimed and released 100 times
    Given a run "r1" that is claimed and released in cycles, each change with its event
    When it goes through 100 cycles while a reader in this process reads it
    Then the reader never saw a status without its event

  @WF-UPD-4 @multi-process
  Scenario: A reader in another process never sees a status without its event over 200 cycles
    Given a run "r1" that is claimed and released in cycles, each change with its event
    When it goes through 200 cycles while a reader in another process reads it
    Then the reader never saw a status without its event

  @WF-UPD-4 @alongside
  Scenario: A reader on a second store over the same data never sees a status without its event over 100 cycles
    Given a run "r1" that is claimed and released in cycles, each change with its event
    When it goes through 100 cycles while a reader on a second store over the same data reads it
    Then the reader never saw a status without its event
