// One cold start, measured inside a fresh Node process: import the bundle, serve one request, report.
// Plain JavaScript run by `node` directly, so no loader (tsx) weighs on the measurement.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle = '', eventJson = '{}'] = process.argv.slice(2);
const context = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:111122223333:function:bench',
  memoryLimitInMB: '1024',
  awsRequestId: 'bench-request',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 5000,
};

const cpuMs = (usage) => (usage.user + usage.system) / 1000;
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const mod = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const cpuImport = process.cpuUsage(cpuAtStart);
const response = await mod.handler(JSON.parse(eventJson), context);
const served = performance.now();
const cpuTotal = process.cpuUsage(cpuAtStart);
process.stdout.write(
  `${JSON.stringify({
    boot: started,
    import: imported - started,
    first: served - imported,
    cpuImport: cpuMs(cpuImport),
    cpuTotal: cpuMs(cpuTotal),
    status: response?.statusCode,
  })}\n`,
);
