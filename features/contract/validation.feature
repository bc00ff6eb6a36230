@contract @REQ-CONTRACT-VALIDATION
Feature: Bad input is refused before anything is written
  Identifiers are 1 to 128 of [A-Za-z0-9._-], starting with a letter or digit; JSON is never coerced;
  plain text is well-formed Unicode without NUL; input objects are closed. A refused call writes nothing.

  @WF-VAL-6 @WF-VAL-11
  Scenario Outline: The run id <description> is refused
    When a workflow run with id <id> is created
    Then the call fails with INVALID_INPUT naming "id"
    And no run exists

    Examples:
      | description             | id             |
      | ".."                    | ".."           |
      | "../x"                  | "../x"         |
      | "a/b"                   | "a/b"          |
      | "/abs"                  | "/abs"         |
      | "a\b"                   | "a\\b"         |
      | empty                   | ""             |
      | starting with a dot     | ".hidden"      |
      | with a space            | "a b"          |
      | of 129 characters       | of length 129  |

  @WF-VAL-6
  Scenario: A run id of 128 characters is accepted
    When a workflow run with id of length 128 is created
    Then the call succeeds

  @WF-VAL-1 @WF-VAL-11 @WF-ERR-4
  Scenario Outline: <value> inside a payload is refused with the path named
    Given a workflow run "r1"
    When an event is appended to run "r1" whose payload holds <value> at "steps[1].when"
    Then the call fails with INVALID_INPUT naming "payload.steps[1].when"
    And run "r1" has no events

    Examples:
      | value            |
      | a Date           |
      | a BigInt         |
      | NaN              |
      | Infinity         |
      | undefined        |
      | a function       |
      | a Map            |
      | a class instance |
      | a cycle          |

  @WF-VAL-2 @WF-VAL-11
  Scenario Outline: <value> inside a payload is refused with the path named, and nothing of it is run
    Input is read once, through property descriptors, into a plain copy that is validated and stored:
    no getter or Proxy trap runs, and nothing JSON.stringify would silently drop gets through.

    Given a workflow run "r1"
    When an event is appended to run "r1" whose payload holds <value> at "steps[1].when"
    Then the call fails with INVALID_INPUT naming "<path>"
    And no getter or Proxy trap of the input was run
    And run "r1" has no events

    Examples:
      | value                                   | path                         |
      | a getter                                | payload.steps[1].when        |
      | an array with a getter                  | payload.steps[1].when[1]     |
      | an array with an extra property         | payload.steps[1].when.extra  |
      | a non-enumerable property               | payload.steps[1].when        |
      | an array with a non-enumerable property | payload.steps[1].when.hidden |
      | a Proxy                                 | payload.steps[1].when        |
      | a Proxy array                           | payload.steps[1].when        |
      | a setter                                | payload.steps[1].when        |
      | a symbol key                            | payload.steps[1].when        |

  @WF-VAL-2 @WF-VAL-11
  Scenario: A run's input object with a getter is refused, the getter never run
    When a workflow run "r1" is created from an input whose workflow_name is a getter
    Then the call fails with INVALID_INPUT naming "workflow_name"
    And no getter or Proxy trap of the input was run
    And no run exists

  @WF-VAL-2 @WF-VAL-11
  Scenario: An event's input object given as a Proxy is refused, none of its traps run
    Given a workflow run "r1"
    When an event is appended to run "r1" from an input object that is a Proxy
    Then the call fails with INVALID_INPUT
    And no getter or Proxy trap of the input was run
    And run "r1" has no events

  @WF-VAL-2 @WF-VAL-11
  Scenario: Run metadata on create is read once: an array with an extra property is refused
    When a workflow run "r1" is created with metadata holding an array with an extra property at "tags"
    Then the call fails with INVALID_INPUT naming "metadata.tags.extra"
    And no getter or Proxy trap of the input was run
    And no run exists

  @WF-VAL-2 @WF-VAL-11
  Scenario: A metadata patch is read once: an array with a getter is refused, the getter never run
    Given a workflow run "r1"
    When run "r1" is updated with a metadata patch holding an array with a getter at "labels"
    Then the call fails with INVALID_INPUT naming "patch.metadata.labels[1]"
    And no getter or Proxy trap of the input was run
    And the run "r1" is unchanged

  @WF-VAL-5 @WF-VAL-11
  Scenario Outline: <text> in <field> is refused
    When a workflow run "r1" is created with <text> in <field>
    Then the call fails with INVALID_INPUT naming "<field>"
    And no run exists

    Examples:
      | text             | field         |
      | NUL              | user_message  |
      | a lone surrogate | user_message  |
      | NUL              | workflow_name |
      | a lone surrogate | workflow_name |

  @WF-VAL-9
  Scenario: A misspelt option is refused, not ignored
    Given a workflow run "r1" with status "failed"
    When run "r1" is updated with the misspelt option "expectedStatus" set to "paused"
    Then the call fails with INVALID_INPUT naming "expectedStatus"
    And the run "r1" is unchanged

  @WF-VAL-9 @WF-VAL-11
  Scenario: An expected status that is no status is refused, not taken for a conflict
    Given a workflow run "r1" with status "failed"
    When the status of run "r1" is updated to "running" expecting status "done"
    Then the call fails with INVALID_INPUT naming "expected_status"
    And the run "r1" is unchanged

  @WF-VAL-8 @WF-VAL-11
  Scenario: Limits are the same on every backend
    When a workflow run "r1" is created with a workflow name of 256 characters
    Then the call succeeds
    When a workflow run "r2" is created with a workflow name of 257 characters
    Then the call fails with INVALID_INPUT naming "workflow_name"
    When an event is appended to run "r1" with a payload of 16 MiB plus one byte
    Then the call fails with INVALID_INPUT naming "payload"
    And run "r1" has no events

  @WF-VAL-12 @WF-VAL-11
  Scenario Outline: The event type <description> is refused
    Given a workflow run "r1"
    When the event <event_type> is appended to run "r1"
    Then the call fails with INVALID_INPUT naming "event_type"
    And run "r1" has no events

    Examples:
      | description            | event_type        |
      | empty                  | ""                |
      | with a space           | "node started"    |
      | with a slash           | "node/started"    |
      | with a non-ASCII letter | "nœud"           |
      | with a quote           | "it's"            |
      | of 129 characters      | of length 129     |

  @WF-VAL-8
  Scenario: Event types of letters, digits, ".", "_", ":" and "-" up to 128 characters are accepted
    Given a workflow run "r1"
    When the event "x:y.z_1-A" is appended to run "r1"
    Then the call succeeds
    When the event of length 128 is appended to run "r1"
    Then the call succeeds
    And the events of run "r1" have sequences 1 to 2

  @WF-VAL-3 @WF-VAL-11
  Scenario: JSON nested 1000 levels deep is accepted, 1001 levels is refused
    Given a workflow run "r1"
    When an event is appended to run "r1" whose payload nests 1000 levels deep
    Then the call succeeds
    When an event is appended to run "r1" whose payload nests 1001 levels deep
    Then the call fails with INVALID_INPUT
    And the events of run "r1" have sequences 1 to 1

  @WF-VAL-14
  Scenario Outline: <option> of <value> is refused
    Given a workflow run "r1"
    When the events of run "r1" are listed with <option> set to <value>
    Then the call fails with INVALID_INPUT naming "<option>"

    Examples:
      | option         | value |
      | limit          | -1    |
      | limit          | 1.5   |
      | after_sequence | -1    |
      | limit          | "2"   |

  @WF-VAL-14
  Scenario: The limit of listWorkflowRuns is checked as the events' limit is
    Given a workflow run "r1"
    When the runs are listed with limit -1
    Then the call fails with INVALID_INPUT naming "limit"
