// Errors the transferStock exercise throws; shared by starter.ts, solution.ts and checks.ts.
export class NotEnoughStockError extends Error {
  override name = 'NotEnoughStockError';
  readonly productId: number;
  constructor(productId: number) {
    super(`product ${productId} does not have enough stock`);
    this.productId = productId;
  }
}

export class UnknownProductError extends Error {
  override name = 'UnknownProductError';
  readonly productId: number;
  constructor(productId: number) {
    super(`product ${productId} does not exist`);
    this.productId = productId;
  }
}
