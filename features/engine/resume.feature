@REQ-ENGINE-RESUME
Feature: The reference engine resumes a failed run on any backend
  The engine (src/engine, which depends on the contract only) claims a failed run with compare-and-set
  (failed → running), reads getCompletedDagNodeOutputs(), skips the completed nodes, feeds their stored
  outputs to their dependants and runs the rest.

  @WF-ENG-1 @WF-OUT-3
  Scenario: A run whose third node fails once is resumed without running the first two again
    Given the reference engine ran workflow "three-steps" as run "r1", and node "transform" failed once
    When the reference engine resumes run "r1"
    Then the run "r1" is stored with status "completed"
    And the nodes "fetch" and "parse" ran once each
    And the final outputs of run "r1" equal those of an uninterrupted run
    And the event log of run "r1" is the one the same steps give on the reference memory store, apart from timestamps

  @WF-ENG-1 @WF-CAS-1
  Scenario: Two concurrent resumes of one failed run: exactly one proceeds
    Given the reference engine ran workflow "three-steps" as run "r1", and node "transform" failed once
    When two callers resume run "r1" at the same time
    Then exactly one resume completes the run and the other is refused as a claim conflict
    And node "transform" ran 2 times in all

  @WF-ENG-1 @WF-DUR-1 @multi-process
  Scenario: A process killed mid-workflow is resumed from another process
    Given workflow "three-steps" runs as run "r1" in another process, killed with SIGKILL once node "parse" has completed
    When this process resumes run "r1", taking over from the dead process
    Then the run "r1" is stored with status "completed"
    And no node that had completed before the kill was started again
    And every node of run "r1" completed exactly once

  @WF-ENG-1
  Scenario: The same engine code gives the same run on the reference memory store and on the store under test
    Given the reference engine's code, unchanged
    When it runs workflow "three-steps" on the reference memory store and on the store under test
    Then both runs end "completed" with the same node outputs
    And both event logs are identical apart from timestamps
