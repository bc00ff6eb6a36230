@REQ-POSTGRES @backend:postgres
Feature: Postgres backend
  The Postgres backend SHALL use a PostgreSQL database with the same schema as SQLite, accessed via the
  IWorkflowStore interface.

  # The same engine code on SQLite and on PostgreSQL; every other store gets the engine feature's
  # "same engine code" scenario instead.
  @WF-ENG-1 @WF-PG-1
  Scenario: Postgres uses same interface
    Given the reference engine's code, unchanged
    When it runs workflow "three-steps" on a SQLite store and on the store under test
    Then both runs end "completed" with the same node outputs
    And both event logs are identical apart from timestamps

  @WF-PG-1
  Scenario: Postgres has the same schema as SQLite
    Given a workflow run "r1"
    Then the PostgreSQL schema has the tables workflow_runs, workflow_events, workflow_node_outputs with the same columns as SQLite
