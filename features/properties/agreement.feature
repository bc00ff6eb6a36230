@REQ-PROPERTIES
Feature: All backends agree on random operation sequences
  fast-check generates random sequences of calls — every operation, valid and invalid input, reopening
  the store — and runs them on the store under test and on a small in-memory model of the contract, with
  the same clock and ids. Every result and every error code must be the model's. A failure shows the
  shrunk sequence of calls and the seed to replay it.

  @WF-ALL-1 @WF-OUT-4
  Scenario: All backends agree on random operation sequences
    When random operation sequences run on the store under test and on the model
    Then every result and every error code agrees with the model

  @WF-ALL-2 @WF-OUT-4
  Scenario: Concurrent calls on one run keep the contract's invariants
    When appends, compare-and-set resumes and a delete run concurrently on one run, in random orders
    Then sequences stay gapless and unique, at most one resume wins, and outputs follow the latest completion
