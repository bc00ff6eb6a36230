@contract @REQ-CONTRACT-COPIES
Feature: The caller and the store never share objects
  What a call returns is the caller's own copy, and what the caller passed in is copied.

  @WF-CPY-1
  Scenario: Changing a returned value changes nothing stored
    Given a workflow run "r1" with metadata:
      """
      { "list": [1] }
      """
    When the caller changes the metadata of the run it got back
    Then the run "r1" has metadata:
      """
      { "list": [1] }
      """

  @WF-CPY-1
  Scenario: Changing a value after passing it in changes nothing stored
    Given a workflow run "r1"
    When the caller appends a node "n" output and then changes the object it passed
    Then the completed node outputs of run "r1" are:
      """
      { "n": { "v": 1 } }
      """

  @WF-CPY-1
  Scenario: Changing the outputs map it got back changes nothing stored
    Given a workflow run "r1"
    And node "n" of run "r1" completes with output:
      """
      { "v": 1, "list": [1] }
      """
    When the caller changes the outputs map of run "r1" it got back
    Then the completed node outputs of run "r1" are:
      """
      { "n": { "v": 1, "list": [1] } }
      """

  @WF-CPY-1 @WF-VAL-2
  Scenario: Changing a payload right after the call, before it settles, changes nothing stored
    Given a workflow run "r1"
    When the caller appends an event to run "r1" and changes its payload before the call settles
    Then the payload of event 1 of run "r1" is:
      """
      { "step": "fetch", "tags": ["a"] }
      """
