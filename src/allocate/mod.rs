//! Optimal allocation of people to places with capacities.
