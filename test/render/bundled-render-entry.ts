/** Entry bundled by bundle-loading.test.ts: renders a 10-pull and a single from inside a bundle dir. */
import { ensureCardFont } from '../../app/render/card-font';
import { PullImageRenderer } from '../../app/render/pull-image-renderer';
import { pulled } from './sample-images';

async function main(): Promise<void> {
  const renderer = new PullImageRenderer();
  const names = [
    '天照大神',
    'Wooden Sword',
    '紙の扇子',
    'Koi Charm',
    '竹笛',
    '嵐の将軍',
    'Rice Ball',
    '桜の剣士',
    'Straw Hat',
    '神社の鈴',
  ];
  const sheet = await renderer.render({ locale: 'ja', cards: names.map((name, i) => pulled(i, name)) });
  const single = await renderer.render({ locale: 'en', cards: [pulled(4, 'Amaterasu')] });
  process.stdout.write(
    JSON.stringify({
      font: ensureCardFont(),
      sheet: [sheet.width, sheet.height, sheet.data.length],
      single: [single.width, single.data.length],
      jpeg: sheet.data.subarray(0, 3).toString('hex'),
    }),
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
