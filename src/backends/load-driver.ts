// A backend's driver package is an optional peer dependency: installed by whoever uses that backend.
// When it is missing (or its native part does not load), the import fails with one line saying what to
// install, instead of a module-resolution stack trace.

/** A driver package, and what to install for it (its name and the major the backend is written for). */
export interface DriverPackage {
  package: string;
  install: string;
}

export class DriverMissingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DriverMissingError';
  }
}

/** Imports a backend's driver package, or fails with one line naming the package to install. */
export async function loadDriver<T>(driver: DriverPackage, entry: string): Promise<T> {
  const pkg = driver.package;
  try {
    return (await import(pkg)) as T;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const install = `npm install ${driver.install}`;
    if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes(`'${pkg}'`)) {
      throw new DriverMissingError(`${entry} needs the package ${pkg}, which is not installed: ${install}`, {
        cause: error,
      });
    }
    throw new DriverMissingError(
      `${entry}: the package ${pkg} is installed but does not load (${String(message).split('\n')[0]}); ` +
        `reinstall it for this Node.js (${install}, or npm rebuild ${pkg})`,
      { cause: error },
    );
  }
}
