@REQ-POSTGRES
Feature: Postgres backend
  The Postgres backend SHALL use a PostgreSQL database with the same schema as SQLite, accessed via the
  IWorkflowStore interface.

  # On every backend: the same engine code runs a workflow on SQLite and on the store under test.
  Scenario: Postgres uses same interface
    Given the reference engine's code, unchanged
    When it runs workflow "three-steps" on a SQLite store and on the store under test
    Then both runs end "completed" with the same node outputs
    And both event logs are identical apart from timestamps

  @backend:postgres
  Scenario: Postgres has the same schema as SQLite
    Given a workflow run "r1"
    Then the PostgreSQL schema has the tables workflow_runs, workflow_events, workflow_node_outputs with the same columns as SQLite
