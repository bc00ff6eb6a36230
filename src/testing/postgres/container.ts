// A PostgreSQL container from testcontainers, for machines with a Docker engine.

export interface ContainerPostgres {
  connectionString: string;
  version: string;
  stop(): Promise<void>;
}

export const CONTAINER_IMAGE = 'postgres:16-alpine';

export async function startContainerPostgres(): Promise<ContainerPostgres> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(CONTAINER_IMAGE).start();
  return {
    connectionString: container.getConnectionUri(),
    version: CONTAINER_IMAGE,
    stop: async () => {
      await container.stop();
    },
  };
}
