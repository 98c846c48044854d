/** Hands each service the stores it needs; the only place services and stores meet. */
import type { Stores } from '../storage/stores';
import { AdminService } from './admin-service';
import { ExchangeService } from './exchange-service';
import { FairnessService } from './fairness-service';
import { GachaService, type GachaServiceOptions } from './gacha-service';
import { TradeService } from './trade-service';
import { UpkeepService } from './upkeep-service';

export interface Services {
  readonly gacha: GachaService;
  readonly admin: AdminService;
  readonly upkeep: UpkeepService;
  readonly trades: TradeService;
  readonly exchange: ExchangeService;
  readonly fairness: FairnessService;
}

export function createServices(stores: Stores, options: GachaServiceOptions = {}): Services {
  const trades = new TradeService(stores, options.now ? { now: options.now } : {});
  return {
    gacha: new GachaService(stores, options),
    admin: new AdminService(stores),
    upkeep: new UpkeepService(stores.projections, trades),
    trades,
    exchange: new ExchangeService(stores),
    fairness: new FairnessService(stores, options.now),
  };
}
