import { Command, Option } from 'commander';
import { z } from 'zod';
import { AppError } from '../../../src-shared/AppError.ts';
import { defaultSandboxImages, imageReferenceSchema, sandboxLanguages, type SandboxLanguage } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { buildImage } from '../../sandbox/buildImage.ts';
import { engineStatus, requireEngine } from '../../sandbox/connectDocker.ts';
import { imageStatus, type ImageStatus } from '../../sandbox/imageStatus.ts';
import { checkImageTarball, loadImage } from '../../sandbox/loadImage.ts';
import { pullImage } from '../../sandbox/pullImage.ts';
import { cliDocker } from '../cliDocker.ts';
import type { CliContext } from '../CliContext.ts';
import { schemaOption } from '../schemaOption.ts';
import { createByteProgress } from '../createProgress.ts';

const sandboxHelp = `
The generated projects' tests run in Docker containers (no network, capped memory, CPU and
processes). Docker is found through DOCKER_HOST, else the platform default (the Linux socket,
Docker Desktop's socket, the Windows named pipe).

Images: Python projects run in ${defaultSandboxImages.python}, built without any registry from
Debian packages ("sandbox build-image", as root, needs debootstrap); Node projects in
${defaultSandboxImages.node} ("sandbox pull"). On a machine without network, "docker save" the
image where it exists and "sandbox load FILE" it here.`;

/** A Debian mirror debootstrap can read: http(s), ftp or file. */
const mirrorSchema = z.url({ protocol: /^(https?|ftp|file)$/, error: 'not a Debian mirror URL (http, https, ftp or file)' });

/** The command that gets a missing image: the Python one offline, the Node one from its registry. */
export function howToGetImage(language: SandboxLanguage): string {
  switch (language) {
    case 'python':
      return 'service-creator sandbox build-image (as root; needs debootstrap), or sandbox load FILE';
    case 'node':
      return `service-creator sandbox pull ${defaultSandboxImages.node}, or sandbox load FILE`;
    default:
      return language satisfies never;
  }
}

function describeImage(image: ImageStatus): string {
  const size = image.sizeBytes !== undefined ? `${(image.sizeBytes / 1024 ** 2).toFixed(0)} MiB` : undefined;
  const created = image.created ? `created ${image.created.slice(0, 10)}` : undefined;
  const details = [size, created].filter(Boolean).join(', ');
  return details ? `${image.image} (${details})` : image.image;
}

/** `service-creator sandbox doctor|build-image|load|pull`: the container engine and the images the tests run in. */
export function sandboxCommand(context: () => CliContext): Command {
  const sandbox = new Command('sandbox').description('the Docker engine and the images the generated tests run in').addHelpText('after', sandboxHelp);

  sandbox
    .command('doctor')
    .description('check the engine and the sandbox images (exit 1 when something is missing)')
    .action(async () => {
      const ctx = context();
      const { endpoint, docker } = cliDocker(ctx);
      const status = await engineStatus(docker, endpoint);
      if (!status.ok) {
        ctx.output.event('engine', { ...status });
        throw new AppError('SANDBOX_UNAVAILABLE', status.message);
      }
      ctx.output.result('engine', { ...status }, `engine: Docker ${status.version} (API ${status.apiVersion}, ${status.os}) at ${status.endpoint}`);
      const missing: string[] = [];
      for (const language of sandboxLanguages) {
        const image = await imageStatus(docker, defaultSandboxImages[language]);
        const getIt = howToGetImage(language);
        if (!image.present) missing.push(`${image.image} (${getIt})`);
        ctx.output.result(
          'image',
          { language, ...image, ...(image.present ? {} : { getIt }) },
          image.present ? `${language}: ${describeImage(image)} present` : `${language}: ${image.image} missing; get it with: ${getIt}`,
        );
      }
      if (missing.length > 0) {
        throw new AppError('SANDBOX_UNAVAILABLE', `Missing sandbox image${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}. Projects in that language cannot be tested until it is there`);
      }
    });

  sandbox
    .command('build-image')
    .description('build the Python sandbox image from Debian packages, no registry needed (debootstrap + docker import; needs root)')
    .addOption(new Option('--tag <tag>', 'image tag').argParser(schemaOption(imageReferenceSchema)).default(defaultSandboxImages.python))
    .option('--force', 'rebuild even when the tag exists')
    .addOption(new Option('--mirror <url>', "Debian mirror (default: the one this machine's apt uses, else deb.debian.org)").argParser(schemaOption(mirrorSchema)))
    .action(async (options: { tag: string; force?: boolean; mirror?: string }) => {
      const ctx = context();
      const { endpoint, docker } = cliDocker(ctx);
      await requireEngine(docker, endpoint);
      const result = await buildImage({
        tag: options.tag,
        force: options.force === true,
        ...(options.mirror ? { mirror: options.mirror } : {}),
        env: { ...process.env, ...ctx.io.env },
        onLine: (line, stream) => {
          ctx.output.event('build', { stream, line });
          ctx.output.notice(line);
        },
      });
      const image = await imageStatus(docker, options.tag);
      if (!image.present) throw new AppError('SANDBOX_UNAVAILABLE', `The recipe ended without error but ${options.tag} is not in the engine at ${endpoint.describe}`);
      const how = result.built ? `built in ${Math.round(result.durationMs / 1000)} s` : 'already there (--force rebuilds it)';
      ctx.output.result('image', { ...image, built: result.built, durationMs: result.durationMs }, `${describeImage(image)} ${how}`);
    });

  sandbox
    .command('load')
    .description('load an image tarball written by "docker save" (machines without network)')
    .argument('<file>', 'the tarball')
    .action(async (file: string) => {
      const ctx = context();
      const sizeBytes = checkImageTarball(file);
      const { endpoint, docker } = cliDocker(ctx);
      await requireEngine(docker, endpoint);
      const images = await loadImage(docker, file);
      ctx.output.result('loaded', { file, sizeBytes, images }, `Loaded ${images.join(', ')} from ${file}`);
    });

  sandbox
    .command('pull')
    .description('pull an image from its registry, with progress')
    .argument('[image]', 'the image', schemaOption(imageReferenceSchema), defaultSandboxImages.node)
    .action(async (image: string) => {
      const ctx = context();
      const { endpoint, docker } = cliDocker(ctx);
      await requireEngine(docker, endpoint);
      const progress = createByteProgress(ctx.output, ctx.io, `Pulling ${image}`);
      try {
        await pullImage(docker, image, (snapshot) => {
          if (snapshot.total > 0) progress.update(snapshot.current, snapshot.total);
        });
      } finally {
        progress.done();
      }
      const status = await imageStatus(docker, image);
      ctx.output.result('pulled', { ...status }, `Pulled ${describeImage(status)}`);
    });

  return sandbox;
}
