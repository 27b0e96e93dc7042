/* bough-branch-selector.h: BoughBranchSelector, the header bar's branch
 * menu: list, switch, create and delete branches.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_BRANCH_SELECTOR (bough_branch_selector_get_type ())

G_DECLARE_FINAL_TYPE (BoughBranchSelector, bough_branch_selector, BOUGH, BRANCH_SELECTOR, AdwBin)

BoughClient *bough_branch_selector_get_client          (BoughBranchSelector *self);
void         bough_branch_selector_set_client          (BoughBranchSelector *self,
                                                        BoughClient         *client);
const char  *bough_branch_selector_get_branch          (BoughBranchSelector *self);
void         bough_branch_selector_set_branch          (BoughBranchSelector *self,
                                                        const char          *branch);
const char  *bough_branch_selector_get_default_branch  (BoughBranchSelector *self);
GStrv        bough_branch_selector_dup_branches        (BoughBranchSelector *self);
gboolean     bough_branch_selector_get_loading         (BoughBranchSelector *self);
void         bough_branch_selector_reload              (BoughBranchSelector *self);
void         bough_branch_selector_popup               (BoughBranchSelector *self,
                                                        gboolean             create);
void         bough_branch_selector_create              (BoughBranchSelector *self,
                                                        const char          *name);
void         bough_branch_selector_delete              (BoughBranchSelector *self,
                                                        const char          *name);

G_END_DECLS
