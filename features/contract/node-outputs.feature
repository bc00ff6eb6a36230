@contract @REQ-CONTRACT-NODE-OUTPUTS
Feature: Node outputs
  A node_completed event carries payload.node_id and may carry payload.output (default null). The store
  records the output with the event, atomically; for a node completed more than once the latest wins.

  Scenario: Outputs are keyed by node id, in the order of their latest completion
    Given a workflow run "r1"
    When node "b" of run "r1" completes with output:
      """
      "B1"
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
      { "a": { "v": 1 }, "b": "B2" }
      """

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

  Scenario: Concurrent completions of one node: the one with the highest sequence wins
    Given a workflow run "r1"
    When node "n" of run "r1" completes 20 times concurrently with outputs 1 to 20
    Then the output of node "n" in run "r1" is the one appended with the highest sequence

  Scenario: A node_completed event without a valid node_id is refused and neither event nor output is stored
    Given a workflow run "r1"
    When the event "node_completed" is appended to run "r1" with payload:
      """
      { "node_id": "../escape", "output": 1 }
      """
    Then the call fails with INVALID_INPUT naming "payload.node_id"
    And run "r1" has no events
    And the completed node outputs of run "r1" are:
      """
      {}
      """
