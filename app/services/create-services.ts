/** Hands each service the stores it needs; the only place services and stores meet. */
import type { Stores } from '../storage/stores';
import { AdminService } from './admin-service';
import { ArtService, type ArtServiceOptions } from './art-service';
import { ExchangeService } from './exchange-service';
import { FairnessService } from './fairness-service';
import { GachaService, type GachaServiceOptions } from './gacha-service';
import { SocialService } from './social-service';
import { TradeService } from './trade-service';
import { UpkeepService } from './upkeep-service';

export interface Services {
  readonly gacha: GachaService;
  readonly admin: AdminService;
  readonly upkeep: UpkeepService;
  readonly trades: TradeService;
  readonly exchange: ExchangeService;
  readonly art: ArtService;
  readonly social: SocialService;
  readonly fairness: FairnessService;
}

export interface ServiceOptions extends GachaServiceOptions {
  readonly art?: ArtServiceOptions;
}

export function createServices(stores: Stores, options: ServiceOptions = {}): Services {
  const trades = new TradeService(stores, options.now ? { now: options.now } : {});
  return {
    gacha: new GachaService(stores, options),
    admin: new AdminService(stores, options.now),
    upkeep: new UpkeepService(stores.projections, trades),
    trades,
    exchange: new ExchangeService(stores),
    art: new ArtService(stores, options.art),
    social: new SocialService(stores),
    fairness: new FairnessService(stores, options.now),
  };
}
