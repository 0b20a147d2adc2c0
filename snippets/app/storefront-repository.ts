// The one interface both data layers implement. Callers never know which one
// answered; the `data_layer` feature flag decides (see data-layer-switch.ts).

export interface Product {
  id: number;
  categoryId: number;
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
}

export interface CategoryNode {
  id: number;
  parentId: number | null;
  name: string;
  /** 0 for the node the query started from (subtree) or for a root (path). */
  depth: number;
}

export interface ProductFilter {
  categoryId?: number;
  minPriceCents?: number;
  maxPriceCents?: number;
  /** Case-insensitive substring of the product name. */
  nameContains?: string;
  inStockOnly?: boolean;
}

export interface PageRequest {
  limit: number;
  /** Keyset cursor: return products with an id greater than this. */
  afterId?: number;
}

export interface OrderLine {
  productId: number;
  productName: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderWithLines {
  id: number;
  customerId: number;
  status: string;
  createdAt: Date;
  totalCents: number;
  lines: OrderLine[];
}

export interface ProductSales {
  productId: number;
  name: string;
  unitsSold: number;
  revenueCents: number;
}

export interface NewOrder {
  customerId: number;
  lines: { productId: number; quantity: number }[];
}

export class OutOfStockError extends Error {
  override name = 'OutOfStockError';
  readonly productId: number;
  constructor(productId: number) {
    super(`product ${productId} does not have enough stock`);
    this.productId = productId;
  }
}

// #region repository-interface
export interface StorefrontRepository {
  /** Active products only; undefined when missing or inactive. */
  getProduct(id: number): Promise<Product | undefined>;
  /** Active products matching every given filter, ordered by id, one keyset page. */
  listProducts(filter: ProductFilter, page: PageRequest): Promise<Product[]>;
  /** The category and all its descendants, ordered by depth, then id. */
  getCategorySubtree(rootId: number): Promise<CategoryNode[]>;
  /** Breadcrumbs: from the root down to the category itself. */
  getCategoryPath(id: number): Promise<CategoryNode[]>;
  /** A customer's orders, newest first, each with its lines ordered by product id. */
  listCustomerOrders(customerId: number): Promise<OrderWithLines[]>;
  /** Best sellers over non-cancelled orders, by units sold, then product id. */
  topSellingProducts(limit: number): Promise<ProductSales[]>;
  /** Creates a pending order and takes the stock, all or nothing. */
  placeOrder(order: NewOrder): Promise<OrderWithLines>;
  /** Sets a price and returns the updated product, or undefined if it does not exist. */
  updateProductPrice(id: number, priceCents: number): Promise<Product | undefined>;
}
// #endregion repository-interface

export type DataLayer = 'legacy' | 'kysely';
export const DATA_LAYERS: readonly DataLayer[] = ['legacy', 'kysely'];
/** The feature_flags row that picks the data layer (data-layer-switch.ts reads it; the rollback runbook writes it). */
export const DATA_LAYER_FLAG = 'data_layer';
