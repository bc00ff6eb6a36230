@contract @REQ-CONTRACT-CAS
Feature: Compare-and-set updates
  With expected_status, an update applies only if the stored status equals it, atomically; otherwise
  STATUS_CONFLICT and nothing changes. Checks run in order: input, existence, expected_status, transition.

  @WF-CAS-1
  Scenario: The update applies when the status is the expected one
    Given a workflow run "r1" with status "failed"
    When the status of run "r1" is updated to "running" expecting status "failed"
    Then the call succeeds
    And the run "r1" is stored with status "running"

  @WF-CAS-1
  Scenario: The update is refused when the status differs, and nothing changes
    Given a workflow run "r1" with status "running"
    When the status of run "r1" is updated to "paused" expecting status "pending"
    Then the call fails with STATUS_CONFLICT naming "r1"
    And the run "r1" is unchanged

  @WF-CAS-1
  Scenario: Eight concurrent resumes of one failed run give exactly one winner
    Given a workflow run "r1" with status "failed"
    When 8 callers at once update the status of run "r1" to "running" expecting status "failed"
    Then exactly 1 of the 8 calls succeeds and the others fail with STATUS_CONFLICT
    And the run "r1" is stored with status "running"

  @WF-CAS-2
  Scenario: An unknown run is reported before the expected status
    When the status of run "ghost" is updated to "running" expecting status "failed"
    Then the call fails with RUN_NOT_FOUND naming "ghost"

  @WF-CAS-2
  Scenario: The expected status is checked before the transition
    Given a workflow run "r1" with status "completed"
    When the status of run "r1" is updated to "running" expecting status "failed"
    Then the call fails with STATUS_CONFLICT naming "r1"
    When the status of run "r1" is updated to "running" expecting status "completed"
    Then the call fails with INVALID_TRANSITION from "completed" to "running"

  @WF-CAS-2 @WF-VAL-9
  Scenario: Invalid input is reported before anything else
    When the status of run "ghost" is updated to "bogus"
    Then the call fails with INVALID_INPUT
