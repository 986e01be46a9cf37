// Preloaded with `node --import <this file>`: records the URL of every module the process loads
// (ES modules and require()d CommonJS alike, through Node's in-thread module hooks) and, when it
// exits, writes them one per line, each with the milliseconds since start, to the file named by
// RECORD_MODULE_LOADS. Lets a test see which packages a command pulled in, without timing.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const target = process.env.RECORD_MODULE_LOADS;
if (target) {
  const loaded: string[] = [];
  registerHooks({
    load(url, context, nextLoad) {
      loaded.push(`${performance.now().toFixed(1)}\t${url}`);
      return nextLoad(url, context);
    },
  });
  process.on('exit', () => writeFileSync(target, `${loaded.join('\n')}\n`));
}
