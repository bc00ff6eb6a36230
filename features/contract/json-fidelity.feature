@contract @REQ-CONTRACT-JSON
Feature: JSON values round-trip exactly
  Payloads, metadata and node outputs come back deep-equal, with object keys in the order JavaScript
  gives them; strings may hold any code units, NUL and lone surrogates included; -0 comes back as 0.

  @WF-VAL-4
  Scenario: A payload with every hard corner of JSON comes back exactly, key order included
    Given a workflow run "r1"
    When node "n" of run "r1" completes with the hard JSON value as output and in the payload
    Then the listed event's payload is deep-equal to what was sent, key order included
    And the output of node "n" in run "r1" is deep-equal to the hard JSON value, key order included

  @WF-VAL-4
  Scenario: Metadata with every hard corner of JSON comes back exactly
    When a workflow run "r1" is created with the hard JSON value as metadata
    Then the metadata of run "r1" is deep-equal to the hard JSON value, key order included

  @WF-VAL-4
  Scenario: A "__proto__" key stays a plain key
    Given a workflow run "r1"
    When the event "x" is appended to run "r1" with payload:
      """
      { "__proto__": { "polluted": true }, "x": 1 }
      """
    Then the listed event's payload has the own keys "__proto__, x" and a plain prototype
