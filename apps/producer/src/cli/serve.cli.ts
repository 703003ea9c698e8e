import { type Command, Option } from 'commander';
import { type CliContext, examples, port, shared } from './program.ts';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('the HTTP API (/v1/episodes…, /v1/openapi.json, /healthz, /readyz) and completion-callback delivery')
    .addOption(new Option('-H, --host <address>', 'address to bind; anything but loopback needs PODPREVIEW_API_TOKENS').env('PODPREVIEW_HTTP_HOST'))
    .addOption(new Option('-P, --port <port>', 'port (0: any free port)').env('PODPREVIEW_HTTP_PORT').argParser(port))
    .addHelpText('after', examples('podpreview serve', 'podpreview serve --host 0.0.0.0 --port 8080   # with PODPREVIEW_API_TOKENS set'))
    .action(async (o: { host?: string; port?: number }) => {
      const [{ startApiServer }, config] = await Promise.all([
        import('../serve.ts'),
        ctx.config({ PODPREVIEW_HTTP_HOST: o.host, PODPREVIEW_HTTP_PORT: o.port }),
      ]);
      const tracing = await (await shared()).startTracing(config, 'podpreview-api');
      // Best effort: the spans still batched go out while the server closes.
      if (tracing) process.once('SIGTERM', () => void tracing.shutdown());
      const api = await startApiServer(config);
      process.stderr.write(`podpreview: API on ${api.url} (OpenAPI: ${api.url}/v1/openapi.json)\n`);
    });
}
