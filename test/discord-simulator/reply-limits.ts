/**
 * Discord's documented limits for what a bot sends (interaction callbacks, webhook edits and
 * follow-ups), checked the way Discord checks them: a violation is answered 400 with code 50035
 * "Invalid Form Body" and an `errors` tree naming the field, so a reply that Discord would refuse
 * fails here too instead of passing silently.
 *
 * Sources: discord.com/developers/docs — Message (content, embeds, attachments, flags), Embed
 * limits, Message Components (action rows, buttons, selects), Components V2 (container, text
 * display, media gallery, 40 components, 4,000 characters of text), Interactions (callback types,
 * modals, autocomplete).
 */

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowButtons: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  v2Components: 40,
  v2Text: 4000,
  galleryItems: 10,
  mediaDescription: 1024,
  files: 10,
  fileBytes: 10 * 1024 * 1024,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  labelDescription: 100,
  fileUploadFiles: 10,
  textInputLength: 4000,
  textInputPlaceholder: 100,
  autocompleteChoices: 25,
  choiceName: 100,
} as const;

export const IS_COMPONENTS_V2 = 1 << 15;

/** Component types (Discord's numbers). */
const T = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Thumbnail: 11,
  MediaGallery: 12,
  File: 13,
  Separator: 14,
  Container: 17,
  Label: 18,
  FileUpload: 19,
} as const;

const SELECTS = new Set<number>([T.StringSelect, T.UserSelect, T.RoleSelect, T.MentionableSelect, T.ChannelSelect]);

export interface FieldError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** Discord's 400 body for an invalid form: `{ code: 50035, message, errors: { a: { 0: { b: { _errors } } } } }`. */
export interface DiscordErrorBody {
  readonly code: number;
  readonly message: string;
  readonly errors?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
/** Lengths are counted in Unicode code points, as Discord's validation does. */
export const length = (value: unknown): number => (typeof value === 'string' ? Array.from(value).length : 0);

class Checker {
  readonly errors: FieldError[] = [];

  maxLength(path: string, value: unknown, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') {
      this.fail(path, 'STRING_TYPE_CONVERT', 'Could not interpret the value as string.');
      return;
    }
    if (length(value) > max) this.fail(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  required(path: string, value: unknown): boolean {
    if (value === undefined || value === null || value === '') {
      this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return false;
    }
    return true;
  }

  maxItems(path: string, value: unknown, max: number, min = 0): void {
    const n = list(value).length;
    if (n > max) this.fail(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    else if (n < min) this.fail(path, 'BASE_TYPE_MIN_LENGTH', `Must be ${min} or more in length.`);
  }

  fail(path: string, code: string, message: string): void {
    this.errors.push({ path, code, message });
  }
}

function checkEmbeds(c: Checker, path: string, embeds: unknown): void {
  c.maxItems(path, embeds, LIMITS.embeds);
  let total = 0;
  list(embeds).forEach((raw, i) => {
    if (!isObject(raw)) return;
    const at = `${path}.${i}`;
    c.maxLength(`${at}.title`, raw.title, LIMITS.embedTitle);
    c.maxLength(`${at}.description`, raw.description, LIMITS.embedDescription);
    c.maxItems(`${at}.fields`, raw.fields, LIMITS.embedFields);
    total += length(raw.title) + length(raw.description);
    list(raw.fields).forEach((field, f) => {
      if (!isObject(field)) return;
      c.required(`${at}.fields.${f}.name`, field.name);
      c.required(`${at}.fields.${f}.value`, field.value);
      c.maxLength(`${at}.fields.${f}.name`, field.name, LIMITS.fieldName);
      c.maxLength(`${at}.fields.${f}.value`, field.value, LIMITS.fieldValue);
      total += length(field.name) + length(field.value);
    });
    if (isObject(raw.footer)) {
      c.maxLength(`${at}.footer.text`, raw.footer.text, LIMITS.footer);
      total += length(raw.footer.text);
    }
    if (isObject(raw.author)) {
      c.maxLength(`${at}.author.name`, raw.author.name, LIMITS.author);
      total += length(raw.author.name);
    }
  });
  if (total > LIMITS.embedTotal)
    c.fail(path, 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
}

interface ComponentTally {
  count: number;
  text: number;
  readonly attachmentRefs: { path: string; name: string }[];
}

function checkMedia(c: Checker, path: string, media: unknown, tally: ComponentTally): void {
  if (!isObject(media) || !c.required(`${path}.url`, media.url)) return;
  const url = String(media.url);
  if (url.startsWith('attachment://'))
    tally.attachmentRefs.push({ path: `${path}.url`, name: url.slice('attachment://'.length) });
  else if (!/^https?:\/\//.test(url)) c.fail(`${path}.url`, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
}

function checkButton(c: Checker, path: string, button: Json): void {
  c.maxLength(`${path}.label`, button.label, LIMITS.buttonLabel);
  if (button.style === 5) {
    c.required(`${path}.url`, button.url);
  } else if (button.style !== 6) {
    if (c.required(`${path}.custom_id`, button.custom_id))
      c.maxLength(`${path}.custom_id`, button.custom_id, LIMITS.customId);
  }
  if (button.label === undefined && button.emoji === undefined && button.style !== 6)
    c.fail(path, 'BUTTON_COMPONENT_INVALID', 'A button needs a label or an emoji.');
}

function checkSelect(c: Checker, path: string, select: Json): void {
  if (c.required(`${path}.custom_id`, select.custom_id))
    c.maxLength(`${path}.custom_id`, select.custom_id, LIMITS.customId);
  c.maxLength(`${path}.placeholder`, select.placeholder, LIMITS.selectPlaceholder);
  if (select.type === T.StringSelect) {
    c.maxItems(`${path}.options`, select.options, LIMITS.selectOptions, 1);
    list(select.options).forEach((option, i) => {
      if (!isObject(option)) return;
      c.required(`${path}.options.${i}.label`, option.label);
      c.maxLength(`${path}.options.${i}.label`, option.label, LIMITS.selectOptionText);
      c.maxLength(`${path}.options.${i}.value`, option.value, LIMITS.selectOptionText);
      c.maxLength(`${path}.options.${i}.description`, option.description, LIMITS.selectOptionText);
    });
  }
}

function checkActionRow(c: Checker, path: string, row: Json, tally: ComponentTally): void {
  const children = list(row.components);
  c.maxItems(`${path}.components`, children, LIMITS.rowButtons, 1);
  const selects = children.filter((child) => isObject(child) && SELECTS.has(Number(child.type))).length;
  if (selects > 0 && children.length > 1)
    c.fail(
      `${path}.components`,
      'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
      'The specified component exceeds the maximum width',
    );
  children.forEach((child, i) => {
    if (!isObject(child)) return;
    tally.count++;
    const at = `${path}.components.${i}`;
    if (child.type === T.Button) checkButton(c, at, child);
    else if (SELECTS.has(Number(child.type))) checkSelect(c, at, child);
    else if (child.type !== T.TextInput)
      c.fail(`${at}.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 3, 4, 5, 6, 7, 8).');
  });
}

/** Components V2: every kind at any depth, counted and their text summed. */
function checkV2Component(c: Checker, path: string, component: unknown, tally: ComponentTally, depth: number): void {
  if (!isObject(component)) return;
  tally.count++;
  const children = list(component.components);
  switch (component.type) {
    case T.ActionRow:
      checkActionRow(c, path, component, tally);
      return;
    case T.TextDisplay:
      if (c.required(`${path}.content`, component.content)) tally.text += length(component.content);
      return;
    case T.Section:
      c.maxItems(`${path}.components`, children, 3, 1);
      children.forEach((child, i) => {
        checkV2Component(c, `${path}.components.${i}`, child, tally, depth + 1);
      });
      if (isObject(component.accessory)) {
        tally.count++;
        const accessory = component.accessory;
        if (accessory.type === T.Button) checkButton(c, `${path}.accessory`, accessory);
        else if (accessory.type === T.Thumbnail) checkMedia(c, `${path}.accessory.media`, accessory.media, tally);
        else c.fail(`${path}.accessory.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 11).');
      } else c.required(`${path}.accessory`, component.accessory);
      return;
    case T.Thumbnail:
      checkMedia(c, `${path}.media`, component.media, tally);
      c.maxLength(`${path}.description`, component.description, LIMITS.mediaDescription);
      return;
    case T.MediaGallery:
      c.maxItems(`${path}.items`, component.items, LIMITS.galleryItems, 1);
      list(component.items).forEach((item, i) => {
        if (!isObject(item)) return;
        checkMedia(c, `${path}.items.${i}.media`, item.media, tally);
        c.maxLength(`${path}.items.${i}.description`, item.description, LIMITS.mediaDescription);
      });
      return;
    case T.File: {
      const file = component.file;
      if (isObject(file) && typeof file.url === 'string' && file.url.startsWith('attachment://'))
        tally.attachmentRefs.push({ path: `${path}.file.url`, name: file.url.slice('attachment://'.length) });
      else c.fail(`${path}.file.url`, 'COMPONENT_INVALID_FILE', 'A file component must reference an attachment.');
      return;
    }
    case T.Separator:
      return;
    case T.Container:
      if (depth > 0) c.fail(`${path}.type`, 'COMPONENT_NESTING', 'A container cannot be nested.');
      if (component.accent_color !== undefined && component.accent_color !== null) {
        const color = Number(component.accent_color);
        if (!Number.isInteger(color) || color < 0 || color > 0xffffff)
          c.fail(`${path}.accent_color`, 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
      }
      c.maxItems(`${path}.components`, children, Number.MAX_SAFE_INTEGER, 1);
      children.forEach((child, i) => {
        checkV2Component(c, `${path}.components.${i}`, child, tally, depth + 1);
      });
      return;
    default:
      c.fail(
        `${path}.type`,
        'UNION_TYPE_CHOICES',
        `Component type ${String(component.type)} is not allowed in a message.`,
      );
  }
}

export interface UploadedFile {
  readonly name: string;
  readonly size: number;
}

/**
 * Checks a message body (callback `data`, webhook edit or follow-up). `requireContent`: a new
 * message must have something to show; an edit may change one field only.
 */
export function checkMessage(
  body: Json,
  files: readonly UploadedFile[],
  options: { readonly prefix?: string; readonly requireContent?: boolean } = {},
): FieldError[] {
  const c = new Checker();
  const p = options.prefix ? `${options.prefix}.` : '';
  const flags = Number(body.flags ?? 0);
  const v2 = (flags & IS_COMPONENTS_V2) !== 0;
  if (v2) {
    if (typeof body.content === 'string' && body.content.length > 0)
      c.fail(
        `${p}content`,
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        'The "content" field cannot be used when using MessageFlags.IS_COMPONENTS_V2',
      );
    if (list(body.embeds).length > 0)
      c.fail(
        `${p}embeds`,
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        'The "embeds" field cannot be used when using MessageFlags.IS_COMPONENTS_V2',
      );
  } else {
    c.maxLength(`${p}content`, body.content, LIMITS.content);
    checkEmbeds(c, `${p}embeds`, body.embeds);
  }
  const tally: ComponentTally = { count: 0, text: 0, attachmentRefs: [] };
  const components = list(body.components);
  if (v2) {
    components.forEach((component, i) => {
      checkV2Component(c, `${p}components.${i}`, component, tally, 0);
    });
    if (tally.count > LIMITS.v2Components)
      c.fail(
        `${p}components`,
        'MAX_COMPONENTS',
        `Must be ${LIMITS.v2Components} or fewer in total (got ${tally.count}).`,
      );
    if (tally.text > LIMITS.v2Text)
      c.fail(
        `${p}components`,
        'MAX_TEXT_DISPLAY_CONTENT',
        `Text display content must be ${LIMITS.v2Text} or fewer characters in total (got ${tally.text}).`,
      );
  } else {
    c.maxItems(`${p}components`, components, LIMITS.actionRows);
    components.forEach((row, i) => {
      if (!isObject(row) || row.type !== T.ActionRow) {
        c.fail(
          `${p}components.${i}.type`,
          'COMPONENT_TYPE_INVALID',
          'Components V2 components need the IS_COMPONENTS_V2 flag.',
        );
        return;
      }
      checkActionRow(c, `${p}components.${i}`, row, tally);
    });
  }
  c.maxItems(`${p}attachments`, files, LIMITS.files);
  files.forEach((file, i) => {
    if (file.size > LIMITS.fileBytes)
      c.fail(`files.${i}`, 'BASE_TYPE_MAX_FILE_SIZE', `File exceeds maximum size of ${LIMITS.fileBytes} bytes.`);
  });
  const names = new Set(files.map((f) => f.name));
  for (const ref of tally.attachmentRefs) {
    if (!names.has(ref.name))
      c.fail(ref.path, 'UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND', `Attachment "${ref.name}" is not in this message.`);
  }
  if (options.requireContent) {
    const empty =
      !(typeof body.content === 'string' && body.content.trim().length > 0) &&
      list(body.embeds).length === 0 &&
      components.length === 0 &&
      files.length === 0 &&
      list(body.sticker_ids).length === 0 &&
      !isObject(body.poll);
    if (empty) c.fail(`${p}content`, 'EMPTY_MESSAGE', 'Cannot send an empty message');
  }
  return c.errors;
}

/** Checks an interaction callback body `{ type, data }`. */
export function checkInteractionCallback(body: Json, files: readonly UploadedFile[]): FieldError[] {
  const type = Number(body.type);
  const data = isObject(body.data) ? body.data : {};
  if (type === 4) return checkMessage(data, files, { prefix: 'data', requireContent: true });
  if (type === 7) return checkMessage(data, files, { prefix: 'data' });
  const c = new Checker();
  if (type === 8) {
    c.maxItems('data.choices', data.choices, LIMITS.autocompleteChoices);
    list(data.choices).forEach((choice, i) => {
      if (!isObject(choice)) return;
      c.maxLength(`data.choices.${i}.name`, choice.name, LIMITS.choiceName);
      if (typeof choice.value === 'string') c.maxLength(`data.choices.${i}.value`, choice.value, LIMITS.choiceName);
    });
  } else if (type === 9) {
    if (c.required('data.title', data.title)) c.maxLength('data.title', data.title, LIMITS.modalTitle);
    if (c.required('data.custom_id', data.custom_id)) c.maxLength('data.custom_id', data.custom_id, LIMITS.customId);
    c.maxItems('data.components', data.components, LIMITS.modalComponents, 1);
    list(data.components).forEach((top, i) => {
      checkModalComponent(c, `data.components.${i}`, top);
    });
  } else if (![1, 5, 6].includes(type)) {
    c.fail('type', 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 4, 5, 6, 7, 8, 9, 10, 12).');
  }
  return c.errors;
}

/** A text input, select or file upload inside a modal. */
function checkModalField(c: Checker, path: string, field: unknown): void {
  if (!isObject(field)) return;
  if (c.required(`${path}.custom_id`, field.custom_id))
    c.maxLength(`${path}.custom_id`, field.custom_id, LIMITS.customId);
  if (field.type === T.TextInput) {
    if (field.style !== 1 && field.style !== 2)
      c.fail(`${path}.style`, 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2).');
    if (field.label !== undefined) c.maxLength(`${path}.label`, field.label, LIMITS.labelText);
    for (const key of ['min_length', 'max_length'] as const) {
      const value = field[key];
      if (value !== undefined && (typeof value !== 'number' || value < 0 || value > LIMITS.textInputLength)) {
        c.fail(
          `${path}.${key}`,
          'NUMBER_TYPE_MAX',
          `int value should be less than or equal to ${LIMITS.textInputLength}.`,
        );
      }
    }
    const max = typeof field.max_length === 'number' ? field.max_length : LIMITS.textInputLength;
    if (field.value !== undefined) c.maxLength(`${path}.value`, field.value, max);
    if (field.placeholder !== undefined)
      c.maxLength(`${path}.placeholder`, field.placeholder, LIMITS.textInputPlaceholder);
  } else if (field.type === T.StringSelect) {
    c.maxItems(`${path}.options`, field.options, LIMITS.selectOptions, 1);
    list(field.options).forEach((option, i) => {
      if (!isObject(option)) return;
      c.maxLength(`${path}.options.${i}.label`, option.label, LIMITS.selectOptionText);
      c.maxLength(`${path}.options.${i}.value`, option.value, LIMITS.selectOptionText);
    });
  } else if (field.type === FILE_UPLOAD) {
    checkFileUpload(c, path, field);
  } else {
    c.fail(`${path}.type`, 'UNION_TYPE_CHOICES', 'A modal holds text inputs, selects and file uploads.');
  }
}

/** A file upload asks for 0–10 files at least and 1–10 at most. */
function checkFileUpload(c: Checker, path: string, field: Record<string, unknown>): void {
  const min = field.min_values;
  const max = field.max_values;
  if (min !== undefined && (typeof min !== 'number' || min < 0 || min > LIMITS.fileUploadFiles))
    c.fail(`${path}.min_values`, 'NUMBER_TYPE_MAX', `int value should be between 0 and ${LIMITS.fileUploadFiles}.`);
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > LIMITS.fileUploadFiles))
    c.fail(`${path}.max_values`, 'NUMBER_TYPE_MAX', `int value should be between 1 and ${LIMITS.fileUploadFiles}.`);
  if (typeof min === 'number' && typeof max === 'number' && min > max)
    c.fail(`${path}.min_values`, 'COMPONENT_INVALID', 'min_values must not exceed max_values.');
}

const LABEL = 18;
const FILE_UPLOAD = 19;

/** A top-level modal component: a label around one field, a text display, or a legacy action row. */
function checkModalComponent(c: Checker, path: string, top: unknown): void {
  if (!isObject(top)) return;
  if (top.type === LABEL) {
    if (c.required(`${path}.label`, top.label)) c.maxLength(`${path}.label`, top.label, LIMITS.labelText);
    if (top.description !== undefined) c.maxLength(`${path}.description`, top.description, LIMITS.labelDescription);
    checkModalField(c, `${path}.component`, top.component);
  } else if (top.type === T.ActionRow) {
    c.maxItems(`${path}.components`, top.components, 1, 1);
    list(top.components).forEach((field, i) => {
      if (isObject(field) && field.type === FILE_UPLOAD)
        c.fail(`${path}.components.${i}.type`, 'UNION_TYPE_CHOICES', 'A file upload must be in a label.');
      else checkModalField(c, `${path}.components.${i}`, field);
    });
  } else if (top.type !== T.TextDisplay) {
    c.fail(`${path}.type`, 'UNION_TYPE_CHOICES', 'A modal holds labels, text displays and action rows.');
  }
}

/** Discord's 400 answer for field errors: code 50035 and the errors as a nested tree. */
export function invalidFormBody(errors: readonly FieldError[]): DiscordErrorBody {
  const tree: Record<string, unknown> = {};
  for (const error of errors) {
    let node = tree;
    for (const key of error.path.split('.')) {
      const next = (node[key] ?? {}) as Record<string, unknown>;
      node[key] = next;
      node = next;
    }
    const existing = (node._errors ?? []) as unknown[];
    node._errors = [...existing, { code: error.code, message: error.message }];
  }
  return { code: 50035, message: 'Invalid Form Body', errors: tree };
}
