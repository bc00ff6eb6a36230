import { driverMutant, MemoryDriver } from './mutant.js';

export default driverMutant(
  'first-completion-wins',
  'for a node completed more than once, the latest completion wins',
  (db) =>
    new (class extends MemoryDriver {
      override async appendEvent(...args: Parameters<MemoryDriver['appendEvent']>) {
        const [request] = args;
        const earlier = request.node && this.entry(request.run_id).outputs.get(request.node.node_id);
        const event = await super.appendEvent(...args);
        if (earlier) this.entry(request.run_id).outputs.set(request.node!.node_id, earlier);
        return event;
      }
    })(db),
);
