/**
 * The shard shop's use case: one purchase per interaction, exactly once (the interaction id is the
 * operation key, as for a pull), one ledger event of kind `exchange`.
 */
import { GachaError } from '../domain/errors';
import { exchangeShards, shardsToNextExchange } from '../domain/shard-shop';
import type { PlayerState } from '../domain/player-state';
import type { PlayerLedger } from '../storage/player-ledger';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store';
import type { InteractionRef, UnderSettings } from './gacha-service';

export interface ExchangeStores {
  readonly ledger: PlayerLedger;
  readonly settings: SettingsStore;
}

export interface ExchangeResult extends UnderSettings {
  readonly itemId: string;
  readonly tierId: string;
  readonly cost: number;
  readonly state: PlayerState;
  /** Shards still needed for the next purchase. */
  readonly shardsToNext: number;
  readonly replayed: boolean;
}

export class ExchangeService {
  constructor(private readonly stores: ExchangeStores) {}

  async exchange(ref: InteractionRef, itemId: string, under?: SettingsSnapshot): Promise<ExchangeResult> {
    const { settings, revision } = under ?? (await this.stores.settings.get(ref.guildId));
    const { event, replayed } = await this.stores.ledger.commit(
      ref,
      `exchange:${ref.interactionId}`,
      ref.interactionId,
      settings.startingCurrency,
      (state) => {
        const outcome = exchangeShards(settings, itemId, state);
        return {
          kind: 'exchange',
          state: outcome.state,
          exchange: { itemId: outcome.itemId, tierId: outcome.tierId, cost: outcome.cost },
        };
      },
    );
    if (!event.exchange) throw new GachaError('invalid-config', 'operation key reused for a different operation');
    return {
      ...event.exchange,
      state: event.state,
      shardsToNext: shardsToNextExchange(settings, event.state.shards),
      replayed,
      settings,
      settingsRevision: revision,
    };
  }
}
