// The contract's versions, oldest first. Each rule of docs/contract.md names the version that first
// checked it ("since 1.1"); a store declares the version it implements and is judged by it.

export const CONTRACT_VERSIONS = ['1.0', '1.1', '1.2'] as const;

export type ContractVersion = (typeof CONTRACT_VERSIONS)[number];

export const LATEST_CONTRACT: ContractVersion = CONTRACT_VERSIONS[CONTRACT_VERSIONS.length - 1]!;

/** The version a store that declares none is judged by: the one in force before versions were declared. */
export const DEFAULT_CONTRACT: ContractVersion = '1.1';

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareVersions(a: ContractVersion, b: ContractVersion): number {
  return CONTRACT_VERSIONS.indexOf(a) - CONTRACT_VERSIONS.indexOf(b);
}

/** True when `a` is `b` or a later version. */
export function atLeast(a: ContractVersion, b: ContractVersion): boolean {
  return compareVersions(a, b) >= 0;
}
