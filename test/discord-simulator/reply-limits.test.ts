import { IS_COMPONENTS_V2, LIMITS, checkInteractionCallback, checkMessage, invalidFormBody } from './reply-limits';

const x = (n: number): string => 'x'.repeat(n);
const codes = (errors: { code: string }[]): string[] => errors.map((e) => e.code);
const paths = (errors: { path: string }[]): string[] => errors.map((e) => e.path);
const button = (customId: string, label = 'Go') => ({ type: 2, style: 1, custom_id: customId, label });
const row = (...components: unknown[]) => ({ type: 1, components });
const text = (content: string) => ({ type: 10, content });

describe('classic message limits', () => {
  it('accepts a message exactly at every limit', () => {
    const fields = Array.from({ length: 5 }, () => ({ name: x(10), value: x(1024) }));
    expect(
      checkMessage(
        {
          content: x(2000),
          embeds: [{ title: x(256), description: x(400), fields, footer: { text: x(10) }, author: { name: x(10) } }],
          components: Array.from({ length: 5 }, () => row(...Array.from({ length: 5 }, () => button(x(100), x(80))))),
        },
        [],
      ),
    ).toEqual([]);
  });

  it('refuses content, embed and component values one past their limits', () => {
    const errors = checkMessage(
      {
        content: x(2001),
        embeds: [
          {
            title: x(257),
            description: x(4097),
            fields: Array.from({ length: 26 }, () => ({ name: x(257), value: x(1025) })),
            footer: { text: x(2049) },
            author: { name: x(257) },
          },
        ],
        components: [row(button(x(101), x(81))), ...Array.from({ length: 5 }, () => row(button('a')))],
      },
      [],
    );
    expect(paths(errors)).toEqual(
      expect.arrayContaining([
        'content',
        'embeds.0.title',
        'embeds.0.description',
        'embeds.0.fields',
        'embeds.0.fields.0.name',
        'embeds.0.fields.0.value',
        'embeds.0.footer.text',
        'embeds.0.author.name',
        'embeds',
        'components',
        'components.0.components.0.custom_id',
        'components.0.components.0.label',
      ]),
    );
    expect(codes(errors)).toContain('MAX_EMBED_SIZE_EXCEEDED');
  });

  it('counts code points (an emoji is one character) and sums all embeds to 6,000', () => {
    expect(checkMessage({ content: '🎉'.repeat(2000) }, [])).toEqual([]);
    const embeds = Array.from({ length: 2 }, () => ({ description: x(3001) }));
    expect(codes(checkMessage({ embeds }, []))).toEqual(['MAX_EMBED_SIZE_EXCEEDED']);
    expect(codes(checkMessage({ embeds: Array.from({ length: 11 }, () => ({ title: 'a' })) }, []))).toContain(
      'BASE_TYPE_MAX_LENGTH',
    );
  });

  it('refuses more than 5 buttons in a row, a select sharing a row, more than 25 options', () => {
    const options = Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `${i}` }));
    const errors = checkMessage(
      {
        components: [
          row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`))),
          row({ type: 3, custom_id: 's', options: options.slice(0, 2) }, button('b')),
          row({ type: 3, custom_id: 's2', options }),
        ],
      },
      [],
    );
    expect(paths(errors)).toEqual([
      'components.0.components',
      'components.1.components',
      'components.2.components.0.options',
    ]);
  });

  it('refuses V2 components without the flag and an empty new message', () => {
    expect(codes(checkMessage({ components: [text('hi')] }, []))).toEqual(['COMPONENT_TYPE_INVALID']);
    expect(codes(checkMessage({}, [], { requireContent: true }))).toEqual(['EMPTY_MESSAGE']);
    expect(checkMessage({}, [])).toEqual([]);
  });
});

describe('Components V2 limits', () => {
  const gallery = (...names: string[]) => ({
    type: 12,
    items: names.map((n) => ({ media: { url: `attachment://${n}` } })),
  });

  it('accepts a container with a gallery that references an uploaded file', () => {
    const body = {
      flags: IS_COMPONENTS_V2,
      components: [
        {
          type: 17,
          accent_color: 0xffc107,
          components: [text('## 10-pull'), gallery('pulls.jpg'), { type: 14 }, row(button('g:p1'))],
        },
      ],
    };
    expect(checkMessage(body, [{ name: 'pulls.jpg', size: 60_000 }])).toEqual([]);
  });

  it('refuses content or embeds with the flag, a missing attachment, over 10 gallery items', () => {
    const errors = checkMessage(
      {
        flags: IS_COMPONENTS_V2,
        content: 'hello',
        embeds: [{ title: 'x' }],
        components: [gallery('missing.png'), gallery(...Array.from({ length: 11 }, (_, i) => `f${i}.png`))],
      },
      [],
    );
    expect(codes(errors)).toEqual(
      expect.arrayContaining([
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        'UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND',
        'BASE_TYPE_MAX_LENGTH',
      ]),
    );
    expect(paths(errors)).toContain('components.1.items');
  });

  it('counts nested components to 40 and text display content to 4,000 in total', () => {
    const forty = {
      flags: IS_COMPONENTS_V2,
      components: [{ type: 17, components: Array.from({ length: 39 }, () => text('a')) }],
    };
    expect(checkMessage(forty, [])).toEqual([]);
    const fortyOne = {
      flags: IS_COMPONENTS_V2,
      components: [{ type: 17, components: Array.from({ length: 40 }, () => text('a')) }],
    };
    expect(codes(checkMessage(fortyOne, []))).toEqual(['MAX_COMPONENTS']);
    const buttonsCount = {
      flags: IS_COMPONENTS_V2,
      components: [row(...Array.from({ length: 5 }, (_, i) => button(`b${i}`)))],
    };
    expect(checkMessage(buttonsCount, [])).toEqual([]);
    const longText = { flags: IS_COMPONENTS_V2, components: [text(x(2000)), text(x(2000))] };
    expect(checkMessage(longText, [])).toEqual([]);
    expect(codes(checkMessage({ ...longText, components: [...longText.components, text('!')] }, []))).toEqual([
      'MAX_TEXT_DISPLAY_CONTENT',
    ]);
  });

  it('refuses a nested container, an accent colour past 0xFFFFFF and unknown component types', () => {
    const errors = checkMessage(
      {
        flags: IS_COMPONENTS_V2,
        components: [
          { type: 17, accent_color: 0x1000000, components: [{ type: 17, components: [text('a')] }] },
          { type: 99 },
        ],
      },
      [],
    );
    expect(codes(errors)).toEqual(['NUMBER_TYPE_MAX', 'COMPONENT_NESTING', 'UNION_TYPE_CHOICES']);
  });
});

describe('files and interaction callbacks', () => {
  it('refuses more than 10 files and a file over 10 MiB', () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, size: i === 0 ? LIMITS.fileBytes + 1 : 10 }));
    expect(codes(checkMessage({ content: 'x' }, files))).toEqual(['BASE_TYPE_MAX_LENGTH', 'BASE_TYPE_MAX_FILE_SIZE']);
  });

  it('checks callback data under "data", autocomplete choices and modal titles', () => {
    expect(paths(checkInteractionCallback({ type: 4, data: { content: x(2001) } }, []))).toEqual(['data.content']);
    expect(checkInteractionCallback({ type: 5, data: { flags: 64 } }, [])).toEqual([]);
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: x(101), value: `${i}` }));
    expect(paths(checkInteractionCallback({ type: 8, data: { choices } }, []))).toContain('data.choices');
    expect(
      paths(checkInteractionCallback({ type: 9, data: { title: x(46), custom_id: 'm', components: [row()] } }, [])),
    ).toContain('data.title');
    expect(codes(checkInteractionCallback({ type: 4, data: {} }, []))).toEqual(['EMPTY_MESSAGE']);
  });

  it("answers in Discord's error shape: code 50035 and a nested errors tree", () => {
    const body = invalidFormBody(checkInteractionCallback({ type: 4, data: { content: x(2001) } }, []));
    expect(body).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
      },
    });
  });
});

describe('modal limits', () => {
  const input = (customId: string, extra: object = {}) => ({ type: 4, custom_id: customId, style: 1, ...extra });
  const label = (name: string, component: object) => ({ type: 18, label: name, component });

  it('accepts a form at its limits: five labels of 45 characters, inputs of 4,000', () => {
    const components = Array.from({ length: 5 }, (_, i) =>
      label(x(45), input(`${x(98)}${i}`, { max_length: 4000, value: x(4000), placeholder: x(100) })),
    );
    expect(checkInteractionCallback({ type: 9, data: { title: x(45), custom_id: x(100), components } }, [])).toEqual(
      [],
    );
  });

  it('refuses six components, long labels and ids, and text inputs past 4,000', () => {
    const six = Array.from({ length: 6 }, (_, i) => label('a', input(`i${i}`)));
    expect(
      paths(checkInteractionCallback({ type: 9, data: { title: 't', custom_id: 'm', components: six } }, [])),
    ).toContain('data.components');
    const errors = paths(
      checkInteractionCallback(
        {
          type: 9,
          data: {
            title: 't',
            custom_id: x(101),
            components: [
              label(x(46), input('a')),
              label('b', input(x(101))),
              label('c', input('c', { max_length: 4001 })),
              label('d', input('d', { max_length: 10, value: x(11) })),
              label('e', { type: 2, custom_id: 'button' }),
            ],
          },
        },
        [],
      ),
    );
    expect(errors).toEqual([
      'data.custom_id',
      'data.components.0.label',
      'data.components.1.component.custom_id',
      'data.components.2.component.max_length',
      'data.components.3.component.value',
      'data.components.4.component.type',
    ]);
  });

  it('accepts a file upload of 0–1 or 10 files in a label, and refuses one out of bounds or in an action row', () => {
    const upload = (extra: object = {}) => ({ type: 19, custom_id: 'art', ...extra });
    const form = (components: object[]) => ({ type: 9, data: { title: 't', custom_id: 'm', components } });
    expect(
      checkInteractionCallback(
        form([
          label('a', upload({ min_values: 0, max_values: 1, required: false })),
          label('b', upload({ max_values: 10 })),
        ]),
        [],
      ),
    ).toEqual([]);
    expect(
      paths(
        checkInteractionCallback(
          form([
            label('a', upload({ max_values: 11 })),
            label('b', upload({ min_values: -1 })),
            label('c', upload({ min_values: 3, max_values: 2 })),
            { type: 1, components: [upload()] },
          ]),
          [],
        ),
      ),
    ).toEqual([
      'data.components.0.component.max_values',
      'data.components.1.component.min_values',
      'data.components.2.component.min_values',
      'data.components.3.components.0.type',
    ]);
  });
});
