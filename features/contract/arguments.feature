@contract @REQ-CONTRACT-ARGUMENTS
Feature: The arguments themselves: required, optional, never null, plain
  The input of createWorkflowRun and createWorkflowEvent and the patch are required; filters and options
  may be omitted or undefined, never null. Input objects are plain objects whose own properties are their
  fields, and JSON arrays are plain arrays, both of the store's own realm.

  @WF-VAL-16
  Scenario Outline: <operation> with null as <argument> is refused, not taken as absent
    Given a workflow run "r1" with status "failed"
    When <operation> is called with the arguments:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT naming "<argument>"
    And the run "r1" is unchanged
    And run "r1" has no events
    And no run but "r1" exists

    Examples:
      | operation           | argument | arguments                             |
      | createWorkflowRun   | input    | [null]                                |
      | createWorkflowEvent | input    | [null]                                |
      | updateWorkflowRun   | patch    | ["r1", null]                          |
      | updateWorkflowRun   | options  | ["r1", { "status": "running" }, null] |
      | listWorkflowRuns    | options  | [null]                                |
      | listWorkflowEvents  | options  | ["r1", null]                          |

  @WF-VAL-16
  Scenario: An update without a patch is refused; an empty patch is an update
    Given a workflow run "r1"
    When updateWorkflowRun is called with the arguments:
      """
      ["r1"]
      """
    Then the call fails with INVALID_INPUT naming "patch"
    And the run "r1" is unchanged
    When the clock moves on 5 ms
    And updateWorkflowRun is called with the arguments:
      """
      ["r1", {}]
      """
    Then the call succeeds
    And the run "r1" has updated_at equal to the store's time of that call

  @WF-VAL-16
  Scenario: The filter and the options may be omitted or given as undefined
    Given a workflow run "r1"
    When the runs, then the events of run "r1" are listed and run "r1" is updated, each with its options omitted and then undefined
    Then the call succeeds

  @WF-VAL-17
  Scenario Outline: <value> inside a payload is refused with the path named
    Given a workflow run "r1"
    When an event is appended to run "r1" whose payload holds <value> at "steps[1].when"
    Then the call fails with INVALID_INPUT naming "payload.steps[1].when"
    And run "r1" has no events

    Examples:
      | value                           |
      | an array of a subclass of Array |
      | an array of another realm       |
      | an object of another realm      |

  @WF-VAL-17
  Scenario: Run metadata holding an array of a subclass of Array is refused, not stored as its elements
    When a workflow run "r1" is created with metadata holding an array of a subclass of Array at "tags"
    Then the call fails with INVALID_INPUT naming "metadata.tags"
    And no run exists

  @WF-VAL-17
  Scenario Outline: <operation> with its <which> argument given as <kind> is refused, its fields not read
    Given a workflow run "r1" with status "failed"
    When <operation> is called with the arguments, the <which> one given as <kind>:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT
    And the run "r1" is unchanged
    And run "r1" has no events
    And no run but "r1" exists

    Examples:
      | operation           | which  | kind                            | arguments                                                        |
      | createWorkflowRun   | first  | an object inheriting its fields | [{ "id": "r2", "workflow_name": "w", "user_message": "" }]       |
      | createWorkflowRun   | first  | an instance of a class          | [{ "id": "r2", "workflow_name": "w", "user_message": "" }]       |
      | createWorkflowRun   | first  | an object of another realm      | [{ "id": "r2", "workflow_name": "w", "user_message": "" }]       |
      | createWorkflowRun   | first  | an array holding its fields     | [{ "id": "r2", "workflow_name": "w", "user_message": "" }]       |
      | createWorkflowEvent | first  | an object inheriting its fields | [{ "run_id": "r1", "event_type": "x" }]                          |
      | createWorkflowEvent | first  | an instance of a class          | [{ "run_id": "r1", "event_type": "x" }]                          |
      | createWorkflowEvent | first  | an array holding its fields     | [{ "run_id": "r1", "event_type": "x" }]                          |
      | updateWorkflowRun   | second | an object inheriting its fields | ["r1", { "status": "running" }]                                  |
      | updateWorkflowRun   | second | an array holding its fields     | ["r1", { "status": "running" }]                                  |
      | updateWorkflowRun   | third  | an object inheriting its fields | ["r1", { "status": "running" }, { "expected_status": "failed" }] |
      | updateWorkflowRun   | third  | an array holding its fields     | ["r1", { "status": "running" }, { "expected_status": "failed" }] |
      | listWorkflowRuns    | first  | an object inheriting its fields | [{ "status": "paused" }]                                         |
      | listWorkflowRuns    | first  | an array holding its fields     | [{ "status": "paused" }]                                         |
      | listWorkflowEvents  | second | an object inheriting its fields | ["r1", { "limit": 1 }]                                           |
      | listWorkflowEvents  | second | an instance of a class          | ["r1", { "limit": 1 }]                                           |
      | listWorkflowEvents  | second | an array holding its fields     | ["r1", { "limit": 1 }]                                           |

  @WF-VAL-17
  Scenario Outline: updateWorkflowRun with options.event given as <kind> is refused, its fields not read
    Given a workflow run "r1" with status "failed"
    When updateWorkflowRun is called with the arguments, options.event given as <kind>:
      """
      ["r1", { "status": "running" }, { "event": { "event_type": "resumed" } }]
      """
    Then the call fails with INVALID_INPUT
    And the run "r1" is unchanged
    And run "r1" has no events

    Examples:
      | kind                            |
      | an object inheriting its fields |
      | an instance of a class          |
      | an array holding its fields     |

  @WF-VAL-17
  Scenario Outline: <operation> does not read a missing <field> from Object.prototype: it is still missing
    Given a workflow run "r1" with status "failed"
    When <operation> is called with the arguments while Object.prototype has "<field>" set to <value>:
      """
      <arguments>
      """
    Then the call fails with INVALID_INPUT naming "<path>"
    And the run "r1" is unchanged
    And run "r1" has no events
    And no run but "r1" exists

    Examples:
      | operation           | field         | value     | arguments                                        | path                     |
      | createWorkflowRun   | workflow_name | "w"       | [{ "id": "r2", "user_message": "" }]             | workflow_name            |
      | createWorkflowEvent | event_type    | "x"       | [{ "run_id": "r1" }]                             | event_type               |
      | updateWorkflowRun   | event_type    | "resumed" | ["r1", { "status": "running" }, { "event": {} }] | options.event.event_type |

  @WF-VAL-17
  Scenario Outline: <operation> does not read an omitted <field> from Object.prototype: it is still omitted
    Given a workflow run "r1" with status "failed"
    When <operation> is called with the arguments while Object.prototype has "<field>" set to <value>:
      """
      <arguments>
      """
    Then the call succeeds

    Examples:
      | operation           | field           | value    | arguments                                                  |
      | createWorkflowRun   | metadata        | 1        | [{ "id": "r2", "workflow_name": "w", "user_message": "" }] |
      | createWorkflowEvent | payload         | 1        | [{ "run_id": "r1", "event_type": "x" }]                    |
      | updateWorkflowRun   | metadata        | 1        | ["r1", {}]                                                 |
      | updateWorkflowRun   | expected_status | "paused" | ["r1", { "status": "running" }, {}]                        |
      | listWorkflowRuns    | workflow_name   | ""       | [{}]                                                       |
      | listWorkflowEvents  | after_sequence  | -1       | ["r1", {}]                                                 |
