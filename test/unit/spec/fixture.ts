/**
 * A frozen copy of the founding example as first laid (spec v1), for tests that assert exact lines and columns:
 * the real example may be retuned (learning rate, comments) without moving these tests' positions.
 */
export const SPEC_V1 = `# The founding case: predict Microsoft's next monthly closing price from the 10 previous ones.
version: 1
name: stock-price
task: regression

data:
  source: ../data/stocks.csv
  filter:
    - column: symbol
      equals: MSFT
  sort:
    column: date
    type: date
  target: price

preprocessing:
  - lags:
      column: price
      count: 10
  - split:
      method: chronological
      validation: 0.2
  - standardize:
      columns: features

model:
  type: mlp
  hidden_layers:
    - units: 10
      activation: relu
  output_activation: linear

training:
  optimizer: adam
  learning_rate: 0.01
  loss: mse
  epochs: 300
  batch_size: 16
  seed: 42

explanation:
  - permutation_importance:
      repeats: 10
      split: validation
      metric: rmse
`;
