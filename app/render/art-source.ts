/** Where the renderer gets an item's stored art (normalised WebP bytes) by its content address. */
export interface ArtSource {
  /** The stored image, or null when there is none under that id. */
  loadArt(artId: string): Promise<Buffer | null>;
}
