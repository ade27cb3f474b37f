import { decodeFile } from '../imaging/decode';
import { inspectImage } from '../imaging/inspect';
import { fail, parseArgs, printJson, readFileBytes, runCli } from './io';

/** `npm run --silent inspect -- <file>`: one JSON object describing the decoded image. */
await runCli(async () => {
  const { positional } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1) fail('usage: npm run --silent inspect -- <file>');
  const path = positional[0];
  let bytes: Uint8Array;
  try {
    bytes = await readFileBytes(path);
  } catch {
    fail(`${path}: cannot read the file`);
  }
  const image = await decodeFile(path, bytes);
  printJson(inspectImage(image));
});
