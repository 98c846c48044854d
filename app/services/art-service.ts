/**
 * Card art and pull pictures: the admin use case that sets or clears an item's or banner's art
 * (fetched once, checked, normalised, stored in MongoDB, then named by a new audited settings
 * revision), and the picture of a pull drawn from the guild's stored art.
 *
 * The renderer (a native module) is loaded on first use, not at start-up: a host without it still
 * runs the bot, and pulls answer without a picture (`onRenderError` is told why).
 */
import type { ArtInput } from '../art/art-intake';
import type { FetchArtOptions } from '../art/fetch-art';
import { type ArtTarget, artOf, requireArtTarget, withArt } from '../domain/art-edits';
import type { Catalog, Locale } from '../domain/catalog';
import type { PulledItem } from '../domain/pull-engine';
import type { RenderedImage } from '../render/card-model';
import type { PullImageRenderer, RendererStats } from '../render/pull-image-renderer';
import type { ArtStore } from '../storage/art-store';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store';

export type { ArtTarget } from '../domain/art-edits';
export type { ArtInput } from '../art/art-intake';

export interface ArtStores {
  readonly art: ArtStore;
  readonly settings: SettingsStore;
}

export interface ArtServiceOptions {
  /** How images are fetched (tests and the local simulator allow loopback http). */
  readonly fetch?: FetchArtOptions;
  /** Told when a pull picture could not be drawn (the pull then answers without one). */
  readonly onRenderError?: (error: unknown) => void;
  /** Bytes of painted card faces kept (see PullImageRenderer). */
  readonly spriteCacheBytes?: number;
}

export interface ArtChange {
  readonly guildId: string;
  readonly actorId: string;
  readonly target: ArtTarget;
  readonly input: ArtInput;
}

export interface ArtChangeResult {
  readonly artId: string;
  /** Stored bytes (WebP). */
  readonly bytes: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly snapshot: SettingsSnapshot;
}

export class ArtService {
  private renderer: Promise<PullImageRenderer> | null = null;

  constructor(
    private readonly stores: ArtStores,
    private readonly options: ArtServiceOptions = {},
  ) {}

  /**
   * Fetches, checks, normalises and stores the image, then names it on the target in a new
   * settings revision. Nothing is changed when any step fails (an ArtError or GachaError says why).
   */
  async setArt(change: ArtChange): Promise<ArtChangeResult> {
    const { guildId, actorId, target } = change;
    requireArtTarget((await this.stores.settings.get(guildId)).settings.catalog, target);
    const art = await this.storeArt(guildId, actorId, change.input);
    const snapshot = await this.stores.settings.update(
      guildId,
      actorId,
      `art-${target.kind}: ${target.id} ${art.artId}`,
      (current) => ({ ...current, catalog: withArt(current.catalog, target, art.artId) }),
    );
    if (target.kind === 'item') this.prepareFace(guildId, snapshot.settings.catalog, target.id);
    return { ...art, snapshot };
  }

  /**
   * Fetches, checks, normalises and stores the image (the same intake as `setArt`) without naming
   * it anywhere: for an edit that is previewed first and names the art only when confirmed (the
   * item form's upload). The stored picture is content addressed, so storing it again is free.
   */
  async storeArt(guildId: string, actorId: string, input: ArtInput): Promise<Omit<ArtChangeResult, 'snapshot'>> {
    const { takeArt } = await import('../art/art-intake.js');
    const art = await takeArt(this.stores.art, guildId, input, actorId, this.options.fetch ?? {});
    return { artId: art.id, bytes: art.data.length, sourceWidth: art.sourceWidth, sourceHeight: art.sourceHeight };
  }

  /** Removes the target's art (the item then gets its generated card); false when it had none. */
  async clearArt(guildId: string, actorId: string, target: ArtTarget): Promise<boolean> {
    const current = (await this.stores.settings.get(guildId)).settings.catalog;
    requireArtTarget(current, target);
    if (artOf(current, target) === null) return false;
    await this.stores.settings.update(guildId, actorId, `art-clear: ${target.kind} ${target.id}`, (settings) => ({
      ...settings,
      catalog: withArt(settings.catalog, target, null),
    }));
    return true;
  }

  /**
   * The picture of a pull (a single card large, a 10-pull as one sheet in draw order), or null when
   * it cannot be drawn now (renderer missing or failing: reported to `onRenderError`).
   */
  async pullImage(
    guildId: string,
    catalog: Catalog,
    items: readonly PulledItem[],
    locale: Locale,
  ): Promise<RenderedImage | null> {
    try {
      const renderer = await this.loadRenderer();
      const { pulledCards } = await import('../render/pull-cards.js');
      return await renderer.render({
        locale,
        cards: pulledCards(catalog, items, locale),
        art: this.stores.art.sourceFor(guildId),
      });
    } catch (error) {
      this.options.onRenderError?.(error);
      return null;
    }
  }

  /** Renderer and art cache figures (null until the renderer is first used). */
  async stats(): Promise<(RendererStats & { readonly artCacheBytes: number }) | null> {
    if (!this.renderer) return null;
    const stats = (await this.renderer).stats();
    return { ...stats, artCacheBytes: this.stores.art.cachedBytes };
  }

  private loadRenderer(): Promise<PullImageRenderer> {
    if (!this.renderer) {
      const sprites = this.options.spriteCacheBytes;
      const loading = import('../render/pull-image-renderer.js').then(
        ({ PullImageRenderer: Renderer }) => new Renderer(sprites !== undefined ? { spriteCacheBytes: sprites } : {}),
      );
      // A failed load is tried again on the next pull (e.g. after the runtime is installed).
      loading.catch(() => {
        if (this.renderer === loading) this.renderer = null;
      });
      this.renderer = loading;
    }
    return this.renderer;
  }

  /** Paints the item's card face now, so the first pull showing the new art costs no more than others. */
  private prepareFace(guildId: string, catalog: Catalog, itemId: string): void {
    void (async () => {
      const renderer = await this.loadRenderer();
      const { cardFace } = await import('../render/pull-cards.js');
      await renderer.prepare(cardFace(catalog, itemId, 'en'), this.stores.art.sourceFor(guildId));
    })().catch((error: unknown) => {
      this.options.onRenderError?.(error);
    });
  }
}
