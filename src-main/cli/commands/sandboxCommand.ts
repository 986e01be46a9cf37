import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import { defaultSandboxImages, sandboxLanguages } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { connectDocker, dockerEndpoint, engineStatus, requireEngine } from '../../sandbox/connectDocker.ts';
import { imageStatus } from '../../sandbox/imageStatus.ts';
import { loadImage } from '../../sandbox/loadImage.ts';
import { pullImage } from '../../sandbox/pullImage.ts';
import type { CliContext } from '../CliContext.ts';

const buildScript = fileURLToPath(new URL('../../../resources/sandbox/build-python-image.sh', import.meta.url));

function engine(ctx: CliContext) {
  const endpoint = dockerEndpoint({ env: ctx.io.env, platform: process.platform });
  return { endpoint, docker: connectDocker(endpoint) };
}

/** How to get each image: the Python one offline, the Node one by pulling. */
function howToGet(language: (typeof sandboxLanguages)[number]): string {
  return language === 'python' ? 'service-creator sandbox build-image (offline), or sandbox load FILE' : `service-creator sandbox pull ${defaultSandboxImages[language]}, or sandbox load FILE`;
}

/** `service-creator sandbox doctor|build-image|load|pull`: the container engine and the images the tests run in. */
export function sandboxCommand(context: () => CliContext): Command {
  const sandbox = new Command('sandbox').description('the Docker engine and images the generated tests run in');

  sandbox
    .command('doctor')
    .description('check the engine and the sandbox images (exit 1 when something is missing)')
    .action(async () => {
      const ctx = context();
      const { endpoint, docker } = engine(ctx);
      const status = await engineStatus(docker, endpoint);
      if (!status.ok) throw new AppError('SANDBOX_UNAVAILABLE', status.message);
      ctx.output.result('engine', status, `Docker ${status.version} (API ${status.apiVersion}, ${status.os}) at ${status.endpoint}`);
      let missing = 0;
      for (const language of sandboxLanguages) {
        const image = await imageStatus(docker, defaultSandboxImages[language]);
        if (!image.present) missing += 1;
        const size = image.sizeBytes !== undefined ? `, ${(image.sizeBytes / 1024 / 1024).toFixed(0)} MiB` : '';
        ctx.output.result('image', { language, ...image }, image.present ? `${language}: ${image.image} present${size}` : `${language}: ${image.image} missing: get it with ${howToGet(language)}`);
      }
      if (missing > 0) throw new AppError('SANDBOX_UNAVAILABLE', `${missing} sandbox image(s) missing: projects in that language cannot be tested until it is there`);
    });

  sandbox
    .command('build-image')
    .description('build the Python sandbox image from Debian packages (debootstrap + docker import; needs root)')
    .option('--tag <tag>', 'image tag', defaultSandboxImages.python)
    .option('--force', 'rebuild even when the tag exists')
    .action(async (options: { tag: string; force?: boolean }) => {
      const ctx = context();
      const { endpoint, docker } = engine(ctx);
      await requireEngine(docker, endpoint);
      const args = [buildScript, '--tag', options.tag, ...(options.force ? ['--force'] : [])];
      const tail: string[] = [];
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...ctx.io.env } });
        const onData = (chunk: Buffer) => {
          for (const line of chunk.toString('utf8').split('\n').filter((text) => text.trim() !== '')) {
            tail.push(line);
            if (tail.length > 20) tail.shift();
            ctx.output.event('build', { line });
            if (!ctx.output.json) ctx.io.stderr.write(`${line}\n`);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('error', reject);
        child.on('close', resolve);
      });
      if (code !== 0) throw new AppError('SANDBOX_UNAVAILABLE', `Building ${options.tag} failed (exit ${code}): ${tail.slice(-3).join(' | ')}`);
      const image = await imageStatus(docker, options.tag);
      ctx.output.result('image', { ...image }, `${options.tag} is ready`);
    });

  sandbox
    .command('load')
    .description('load an image tarball made with "docker save" (air-gapped machines)')
    .argument('<file>', 'the tarball')
    .action(async (file: string) => {
      const ctx = context();
      const { endpoint, docker } = engine(ctx);
      await requireEngine(docker, endpoint);
      const loaded = await loadImage(docker, file);
      ctx.output.result('loaded', { file, images: loaded }, `Loaded ${loaded.join(', ')}`);
    });

  sandbox
    .command('pull')
    .description('pull an image from its registry, with progress')
    .argument('[image]', 'the image', defaultSandboxImages.node)
    .action(async (image: string) => {
      const ctx = context();
      const { endpoint, docker } = engine(ctx);
      await requireEngine(docker, endpoint);
      let last = 0;
      await pullImage(docker, image, (progress) => {
        ctx.output.event('pull', { image, ...progress });
        const now = Date.now();
        if (!ctx.output.json && ctx.output.interactive && now - last > 250) {
          last = now;
          const percent = progress.total > 0 ? ` ${Math.floor((progress.current / progress.total) * 100)}%` : '';
          ctx.io.stderr.write(`\r${progress.status}${percent}    `);
        }
      });
      if (!ctx.output.json && ctx.output.interactive) ctx.io.stderr.write('\n');
      ctx.output.result('pulled', { image }, `Pulled ${image}`);
    });

  return sandbox;
}
