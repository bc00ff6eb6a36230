@REQ-SQLITE @backend:sqlite
Feature: SQLite backend
  The SQLite backend SHALL store workflow data in a SQLite database with tables for runs, events,
  and node outputs.

  @WF-SQL-1
  Scenario: SQLite stores runs table
    Given a workflow run "r1"
    Then the SQLite database has a table "workflow_runs" with columns id, workflow_name, status, user_message, created_at, updated_at
    And the SQLite table "workflow_runs" holds 1 row

  @WF-SQL-1
  Scenario: SQLite stores events table
    Given a workflow run "r1"
    When the event "workflow_started" is appended to run "r1"
    Then the SQLite database has a table "workflow_events" with columns run_id, sequence, event_type, timestamp, payload
    And the SQLite table "workflow_events" holds 1 row
    And the SQLite database has a table "workflow_node_outputs" with columns run_id, node_id, output, sequence
