@contract @REQ-CONTRACT-NODE-OUTPUTS
Feature: Node outputs
  A node_completed event carries payload.node_id and may carry payload.output (default null). The store
  records the output with the event, atomically; for a node completed more than once the latest wins.

  @WF-OUT-3 @WF-OUT-4
  Scenario: Outputs are keyed by node id; the latest completion wins and, as recommended, orders the map
    Given a workflow run "r1"
    When node "b" of run "r1" completes with output:
      """
      "B1"
      """
    And node "c" of run "r1" completes with output:
      """
      { "v": "c" }
      """
    And node "a" of run "r1" completes with output:
      """
      { "v": 1 }
      """
    And node "b" of run "r1" completes with output:
      """
      "B2"
      """
    Then the completed node outputs of run "r1" are:
      """
      { "a": { "v": 1 }, "b": "B2", "c": { "v": "c" } }
      """
    And the outputs of run "r1" are in the order of their latest completion: "c, a, b"

  @WF-OUT-1
  Scenario: A completion without output records null
    Given a workflow run "r1"
    When the event "node_completed" is appended to run "r1" with payload:
      """
      { "node_id": "n" }
      """
    Then the completed node outputs of run "r1" are:
      """
      { "n": null }
      """

  @WF-OUT-1
  Scenario: Other events do not record outputs
    Given a workflow run "r1"
    When the event "node_failed" is appended to run "r1" with payload:
      """
      { "node_id": "n", "output": 1 }
      """
    Then the completed node outputs of run "r1" are:
      """
      {}
      """

  @WF-OUT-3
  Scenario: Concurrent completions of one node: the one with the highest sequence wins
    Given a workflow run "r1"
    When node "n" of run "r1" completes 20 times concurrently with outputs 1 to 20
    Then the output of node "n" in run "r1" is the one appended with the highest sequence

  @WF-OUT-1 @WF-OUT-2 @WF-VAL-11 @WF-ERR-4
  Scenario Outline: A node_completed event whose node_id is <what> is refused; neither event nor output is stored
    Given a workflow run "r1"
    When the event "node_completed" is appended to run "r1" with payload:
      """
      <payload>
      """
    Then the call fails with INVALID_INPUT naming "payload.node_id"
    And run "r1" has no events
    And the completed node outputs of run "r1" are:
      """
      {}
      """

    Examples:
      | what             | payload                                  |
      | a path           | { "node_id": "../escape", "output": 1 }  |
      | missing          | { "output": 1 }                          |
      | not a string     | { "node_id": 7, "output": 1 }            |
      | empty            | { "node_id": "", "output": 1 }           |
