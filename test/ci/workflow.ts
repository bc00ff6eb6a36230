// What a CI workflow file asks for, as jobs of shell steps: GitHub Actions' jobs (matrix expanded, `${{ }}`
// evaluated, `needs` ordered) and GitLab CI's (before_script, script, after_script). Read by run-workflow.ts,
// which runs them here.

export interface WorkflowStep {
  name: string;
  /** A shell command (GitHub `run:`, a GitLab script line). */
  run?: string | undefined;
  /** A GitHub action, e.g. actions/upload-artifact@v4, with its inputs. */
  uses?: string | undefined;
  with: Record<string, string>;
  env: Record<string, string>;
  /** GitHub `if:` (without `${{ }}`); undefined is success(). */
  if?: string | undefined;
  workingDirectory?: string | undefined;
}

export interface WorkflowJob {
  id: string;
  name: string;
  /** The matrix combination this job runs, if any. */
  matrix: Record<string, unknown>;
  /** The images of its service containers. */
  services: string[];
  env: Record<string, string>;
  steps: WorkflowStep[];
  /** Jobs (their ids, before matrix expansion) that must have passed. */
  needs: string[];
  if?: string | undefined;
  /** GitLab: the paths kept as artifacts, and the JUnit reports among them. */
  artifacts?: { paths: string[]; junit: string[] } | undefined;
}

/** Which combinations of a matrix run here: per key, the values wanted (the first that occurs wins). */
export type MatrixPreference = Record<string, readonly unknown[]>;

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isObject(v) ? v : {}).map(([k, x]) => [k, String(x)]));

/** Every combination of a GitHub matrix: the axes' product, less `exclude`, with `include` as GitHub adds it. */
export function combinations(matrix: Doc): Record<string, unknown>[] {
  const { include = [], exclude = [], ...axes } = matrix as { include?: Doc[]; exclude?: Doc[] } & Doc;
  const keys = Object.keys(axes);
  let combos: Doc[] = keys.length === 0 ? [] : [{}];
  for (const key of keys) combos = combos.flatMap((c) => (axes[key] as unknown[]).map((v) => ({ ...c, [key]: v })));
  combos = combos.filter((c) => !exclude.some((e) => Object.entries(e).every(([k, v]) => c[k] === v)));
  const originals = combos.map((c) => ({ ...c }));
  for (const extra of include) {
    // Added to every combination whose original values it does not change; else a combination of its own.
    const fits = originals.flatMap((o, i) =>
      Object.entries(extra).every(([k, v]) => !(k in o) || o[k] === v) ? [i] : [],
    );
    if (fits.length === 0) combos.push({ ...extra });
    for (const i of fits) Object.assign(combos[i]!, extra);
  }
  return combos;
}

/** The combinations kept: for each preferred key on which they differ, the first preferred value present. */
export function preferred(combos: Record<string, unknown>[], preference: MatrixPreference): Record<string, unknown>[] {
  let kept = combos;
  for (const [key, wanted] of Object.entries(preference)) {
    const values = [...new Set(kept.map((c) => String(c[key])))];
    if (values.length < 2) continue;
    const value = wanted.map(String).find((w) => values.includes(w)) ?? values[0];
    kept = kept.filter((c) => String(c[key]) === value);
  }
  return kept;
}

/** `${{ … }}` replaced, from the matrix, the environment and the few contexts a local run has. */
export function substitute(text: string, context: { matrix: Doc; env: Record<string, string>; extra: Doc }): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => {
    const [scope, ...rest] = expression.split('.');
    const key = rest.join('.');
    const source = scope === 'matrix' ? context.matrix : scope === 'env' ? context.env : context.extra;
    const value = scope === 'matrix' || scope === 'env' ? source[key] : source[expression];
    if (value === undefined) throw new Error(`cannot evaluate \${{ ${expression} }} here`);
    return String(value);
  });
}

/** The jobs of a GitHub workflow, in an order that honours `needs`; each matrix cut down by `preference`. */
export function githubJobs(doc: Doc, preference: MatrixPreference, extra: Doc): WorkflowJob[] {
  const jobs = doc.jobs as Record<string, Doc>;
  const workflowEnv = strings(doc.env);
  const out: WorkflowJob[] = [];
  for (const id of orderByNeeds(jobs)) {
    const job = jobs[id]!;
    const matrix = isObject(job.strategy) && isObject(job.strategy.matrix) ? job.strategy.matrix : undefined;
    const combos = matrix === undefined ? [{}] : preferred(combinations(matrix), preference);
    for (const combo of combos) out.push(githubJob(id, job, combo, { workflowEnv, extra }));
  }
  return out;
}

function githubJob(id: string, job: Doc, matrix: Doc, outer: { workflowEnv: Record<string, string>; extra: Doc }) {
  const env = { ...outer.workflowEnv };
  const at = (text: string) => substitute(text, { matrix, env, extra: outer.extra });
  for (const [k, v] of Object.entries(strings(job.env))) env[k] = at(v);
  const services = Object.values(isObject(job.services) ? job.services : {}).map((s) => at(String((s as Doc).image)));
  const steps = (job.steps as Doc[]).map((step, i): WorkflowStep => {
    const stepEnv = Object.fromEntries(Object.entries(strings(step.env)).map(([k, v]) => [k, at(v)]));
    const withs = Object.fromEntries(Object.entries(strings(step.with)).map(([k, v]) => [k, at(v)]));
    const run = typeof step.run === 'string' ? at(step.run) : undefined;
    const name = typeof step.name === 'string' ? at(step.name) : (run ?? String(step.uses ?? `step ${i + 1}`));
    const condition = typeof step.if === 'string' ? unwrap(step.if) : undefined;
    const uses = typeof step.uses === 'string' ? step.uses : undefined;
    const dir = typeof step['working-directory'] === 'string' ? at(step['working-directory']) : undefined;
    return { name, run, uses, with: withs, env: stepEnv, if: condition, workingDirectory: dir };
  });
  const needs = job.needs === undefined ? [] : [job.needs].flat().map(String);
  const name = typeof job.name === 'string' ? at(job.name) : id;
  return { id, name, matrix, services, env, steps, needs, if: typeof job.if === 'string' ? unwrap(job.if) : undefined };
}

const unwrap = (condition: string) => condition.replace(/^\s*\$\{\{\s*(.*?)\s*\}\}\s*$/, '$1').trim();

function orderByNeeds(jobs: Record<string, Doc>): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new Error(`jobs need each other: ${[...path, id].join(' → ')}`);
    if (jobs[id] === undefined) throw new Error(`a job needs "${id}", which does not exist`);
    for (const need of [jobs[id].needs ?? []].flat().map(String)) visit(need, [...path, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

const GITLAB_KEYWORDS = new Set([
  'stages',
  'variables',
  'image',
  'default',
  'workflow',
  'include',
  'cache',
  'services',
  'before_script',
  'after_script',
]);

/** The jobs of a .gitlab-ci.yml, by stage then in file order; each script line a step. */
export function gitlabJobs(doc: Doc): WorkflowJob[] {
  const stages = (doc.stages as string[] | undefined) ?? ['build', 'test', 'deploy'];
  const defaults = isObject(doc.default) ? doc.default : {};
  const ids = Object.keys(doc).filter((k) => !GITLAB_KEYWORDS.has(k) && !k.startsWith('.') && isObject(doc[k]));
  const stageOf = (id: string) => stages.indexOf(String((doc[id] as Doc).stage ?? 'test'));
  return ids
    .sort((a, b) => stageOf(a) - stageOf(b))
    .map((id) => {
      const job = doc[id] as Doc;
      const lines = (key: string) =>
        [job[key] ?? defaults[key] ?? doc[key] ?? []].flat().map((run) => ({ run: String(run), key }));
      const steps = [...lines('before_script'), ...lines('script'), ...lines('after_script')].map(
        ({ run, key }): WorkflowStep => ({
          name: run,
          run,
          with: {},
          env: {},
          if: key === 'after_script' ? 'always()' : undefined,
        }),
      );
      const artifacts = isObject(job.artifacts) ? job.artifacts : {};
      const reports = isObject(artifacts.reports) ? artifacts.reports : {};
      const services = [job.services ?? defaults.services ?? doc.services ?? []].flat().map(String);
      const env = { ...strings(doc.variables), ...strings(job.variables) };
      const kept = {
        paths: [artifacts.paths ?? []].flat().map(String),
        junit: [reports.junit ?? []].flat().map(String),
      };
      return { id, name: id, matrix: {}, services, env, steps, needs: [], artifacts: kept };
    });
}
