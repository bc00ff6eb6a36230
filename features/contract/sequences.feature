@contract @REQ-CONTRACT-SEQUENCE
Feature: Event sequence numbers
  Each run's events are numbered 1, 2, 3, … by the store: no gaps, no duplicates, also with
  concurrent writers.

  @WF-SEQ-1
  Scenario: Events are numbered from 1 in the order they are appended
    Given a workflow run "r1"
    When 5 events are appended one after another to run "r1"
    Then the events of run "r1" have sequences 1 to 5

  @WF-SEQ-1
  Scenario: Each run is numbered on its own
    Given a workflow run "a"
    And a workflow run "b"
    When 3 events are appended one after another to run "a"
    And 2 events are appended one after another to run "b"
    Then the events of run "a" have sequences 1 to 3
    And the events of run "b" have sequences 1 to 2

  @WF-SEQ-1 @WF-SEQ-2
  Scenario: 100 concurrent appends in one process give sequences 1 to 100
    Given a workflow run "r1"
    When 100 events are appended concurrently to run "r1"
    Then the events of run "r1" have sequences 1 to 100
    And each listed event is the one createWorkflowEvent() returned

  @WF-SEQ-1 @multi-process
  Scenario: 4 processes appending 50 events each give sequences 1 to 200
    Given a workflow run "r1"
    When 4 processes each append 50 events to run "r1"
    Then the events of run "r1" have sequences 1 to 200
    And each process's events are in the order it appended them

  @WF-SEQ-2
  Scenario: Events are listed in pages with after_sequence and limit
    Given a workflow run "r1"
    And 10 events are appended one after another to run "r1"
    When the events of run "r1" after sequence 4 are listed with limit 3
    Then the listed sequences are "5, 6, 7"
    When the events of run "r1" after sequence 8 are listed
    Then the listed sequences are "9, 10"
    When the events of run "r1" after sequence 10 are listed
    Then the listed sequences are ""

  @WF-SEQ-2 @WF-VAL-10
  Scenario: Every page of a log is its slice, for every after_sequence and limit
    Given a workflow run "r1"
    And 7 events are appended one after another to run "r1"
    Then every page of run "r1" with after_sequence 0 to 8 and limit 0 to 8, or none, is the slice of its log

  @WF-SEQ-3
  Scenario: Appending an event does not change the run as the caller sees it
    Given a workflow run "r1"
    And the clock moves on 1000 ms
    When the event "node_started" is appended to run "r1"
    Then the run "r1" is unchanged

  @WF-VAL-7
  Scenario: An event is timestamped with the store's time of the call, in UTC with milliseconds
    Given a workflow run "r1"
    And the clock moves on 1500 ms
    When the event "node_started" is appended to run "r1"
    Then the event's timestamp is the store's time of that call
    And each listed event is the one createWorkflowEvent() returned
