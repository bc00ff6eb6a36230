@contract @REQ-CONTRACT-TRANSITIONS
Feature: Status transitions and updates
  pending → running | failed | cancelled; running → paused | completed | failed | cancelled;
  paused → running | failed | cancelled; failed → running (resume); completed and cancelled are final.
  Keeping the same status is allowed. Anything else is INVALID_TRANSITION and changes nothing.

  @WF-TRN-1
  Scenario Outline: An allowed transition from <from> to <to>
    Given a workflow run "r1" with status "<from>"
    When the status of run "r1" is updated to "<to>"
    Then the call succeeds
    And the run "r1" is stored with status "<to>"

    Examples:
      | from    | to        |
      | pending | running   |
      | pending | failed    |
      | pending | cancelled |
      | running | paused    |
      | running | completed |
      | running | failed    |
      | running | cancelled |
      | paused  | running   |
      | paused  | failed    |
      | paused  | cancelled |
      | failed  | running   |

  @WF-TRN-2
  Scenario Outline: A forbidden transition from <from> to <to> is refused and changes nothing
    Given a workflow run "r1" with status "<from>"
    And the clock moves on 1000 ms
    When the status of run "r1" is updated to "<to>"
    Then the call fails with INVALID_TRANSITION from "<from>" to "<to>"
    And the run "r1" is unchanged

    Examples:
      | from      | to        |
      | pending   | paused    |
      | pending   | completed |
      | running   | pending   |
      | paused    | pending   |
      | paused    | completed |
      | failed    | pending   |
      | failed    | paused    |
      | failed    | completed |
      | failed    | cancelled |
      | completed | pending   |
      | completed | running   |
      | completed | paused    |
      | completed | failed    |
      | completed | cancelled |
      | cancelled | pending   |
      | cancelled | running   |
      | cancelled | paused    |
      | cancelled | completed |
      | cancelled | failed    |

  @WF-UPD-3
  Scenario: Keeping the same status updates only the metadata, also on a final status
    Given a workflow run "r1" with status "completed"
    When run "r1" is updated with status "completed" and metadata:
      """
      { "archived": true }
      """
    Then the call succeeds
    And the run "r1" has metadata:
      """
      { "archived": true }
      """

  @WF-UPD-1
  Scenario: Metadata is merged shallowly; a key set to null is stored as null
    Given a workflow run "r1" with metadata:
      """
      { "a": 1, "b": { "deep": 1 }, "c": 3 }
      """
    When run "r1" is updated with metadata:
      """
      { "b": { "other": 2 }, "c": null, "d": 4 }
      """
    Then the run "r1" has metadata:
      """
      { "a": 1, "b": { "other": 2 }, "c": null, "d": 4 }
      """

  @WF-UPD-1
  Scenario: A patch that changes the status and the metadata applies both
    Given a workflow run "r1" with metadata:
      """
      { "a": 1 }
      """
    When run "r1" is updated with status "running" and metadata:
      """
      { "b": 2 }
      """
    Then the run "r1" is stored with status "running"
    And the run "r1" has metadata:
      """
      { "a": 1, "b": 2 }
      """

  @WF-UPD-2 @WF-UPD-3
  Scenario: An update returns the run as stored, with updated_at the store's time of the call
    Given a workflow run "r1"
    And the clock moves on 1000 ms
    When the status of run "r1" is updated to "running"
    Then the call succeeds
    And the run "r1" is stored exactly as it was returned
    And the run "r1" has updated_at equal to the store's time of that call

  @WF-UPD-2
  Scenario: An update of the metadata alone also sets updated_at to the store's time of the call
    Given a workflow run "r1"
    And the clock moves on 1000 ms
    When run "r1" is updated with metadata:
      """
      { "x": 1 }
      """
    Then the call succeeds
    And the run "r1" is stored exactly as it was returned
    And the run "r1" has updated_at equal to the store's time of that call

  @WF-UPD-2 @clock
  Scenario: updated_at never goes below the previous updated_at, even when the clock goes back
    Given a workflow run "r1"
    And the clock moves on 10000 ms
    And the status of run "r1" is updated to "running"
    And the clock moves back 60000 ms
    When run "r1" is updated with metadata:
      """
      { "x": 1 }
      """
    Then the run "r1" has updated_at 10000 ms after its created_at
